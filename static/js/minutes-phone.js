// @ts-check
// The phone's "Download the minutes" card: only when the minutes are final and public.

import { $, setText } from "./dom.js";
import { downloadFile } from "./download.js";

export function mountPhoneMinutes(live, t, { token, code }) {
  const card = $("#phone-minutes");
  const error = $("#phone-minutes-error");
  for (const button of card.querySelectorAll("[data-minutes-download]")) {
    button.addEventListener("click", async () => {
      error.hidden = true;
      const format = button.dataset.minutesDownload;
      try {
        await downloadFile(`/api/convenings/${encodeURIComponent(code)}/minutes?format=${format}`, token, `minutes.${format}`);
      } catch (failure) {
        setText(error, t("download_failed", { message: failure.message }));
        error.hidden = false;
      }
    });
  }
  live.subscribe((state) => {
    const final = state.minutes_final;
    card.hidden = !(final && state.convening.minutes_public);
    if (final) setText($("#phone-minutes-status"), t("minutes_final_phone", { version: final.version, name: final.approved_by }));
  });
}
