// @ts-check
// The credentials desk's screen (issue 17 item 3): scan a badge's QR with the camera (the
// browser's BarcodeDetector where there is one, else the vendored jsQR on the video's
// frames), or type its code, or find the person by name; each check-in is shown in the
// last scans with an undo (check out); the counts follow the live log. What it decides
// is desk.js (pure).

import { $, h, replaceChildren, setText } from "./dom.js";
import { config, t } from "./i18n.js";
import { LiveConnection, showFatal } from "./live.js";
import { ScanGate, addScan, countsText, markUndone, roleText, scanArgs, scanText, seatAction, seatArgs, seatChoices, seatText } from "./desk.js";

const SEARCH_DELAY_MS = 250;
const FRAME_MS = 150;


const { token, jsqr_url: jsqrUrl } = config();
const live = new LiveConnection({
  token,
  t,
  statusEl: $("#conn-status"),
  onFatal: (reason) => showFatal(reason, t),
});

/** @type {import("./desk.js").Scan[]} */
let scans = [];
const gate = new ScanGate();
const announce = $("#desk-status");
const notice = $("#desk-notice");

function say(text, kind = "ok") {
  setText(notice, text);
  notice.dataset.kind = kind;
  notice.hidden = !text;
  setText(announce, "");
  setTimeout(() => setText(announce, text), 50);
}

function renderState(state) {
  setText($("#convening-title"), state.convening.title);
  document.title = `${t("desk_title")} · ${state.convening.title} · Convene`;
  setText($("#desk-counts"), countsText(state.checkins, t));
}

// -- checking in and out -------------------------------------------------------------------------

async function checkIn(args) {
  let reply;
  try {
    reply = await live.command("checkins.add", args);
  } catch (error) {
    say(t("desk_refused", { message: error.message || String(error) }), "error");
    return;
  }
  scans = addScan(scans, reply, Date.now());
  if (live.state) live.state.checkins = reply.counts;
  renderScans();
  if (live.state) renderState(live.state);
  say(scanText(scans[0], t));
  if (searchBox.value.trim()) runSearch();
}

async function checkOut(entryId) {
  let reply;
  try {
    reply = await live.command("checkins.remove", { entry_id: entryId });
  } catch (error) {
    say(t("desk_refused", { message: error.message || String(error) }), "error");
    return;
  }
  scans = markUndone(scans, entryId, true);
  if (live.state) live.state.checkins = reply.counts;
  renderScans();
  if (live.state) renderState(live.state);
  say(t("desk_scan_undone", { who: reply.name }));
  if (searchBox.value.trim()) runSearch();
}

// -- seats: an alternate in a delegate's seat (issue 17 item 4) -----------------------------------

const seatBox = $("#desk-seat");

/** The button that opens the seat panel for an entry, or null when there is nothing to do. */
function seatButton(entry) {
  const action = seatAction(entry);
  if (!action) return null;
  const label = action === "take" ? "desk_take_seat" : "desk_hand_over";
  return h(
    "button",
    { type: "button", class: "button button-small", "data-testid": `desk-${action.replace("_", "-")}`, "aria-label": t(`${label}_who`, { name: entry.name }), onclick: () => openSeat(entry) },
    t(label),
  );
}

/** The seat panel: whom the person may seat with (a search of their delegation). */
async function openSeat(person) {
  const action = seatAction(person);
  let found;
  try {
    found = await live.command("checkins.search", { search: person.delegation });
  } catch (error) {
    say(t("desk_refused", { message: error.message || String(error) }), "error");
    return;
  }
  const choices = seatChoices(person, found.entries);
  const label = action === "take" ? "desk_seat_in_place_of" : "desk_seat_hand_to";
  replaceChildren(
    seatBox,
    h("h2", { id: "desk-seat-title", class: "section-label", tabindex: "-1" }, t(action === "take" ? "desk_seat_title_take" : "desk_seat_title_hand", { name: person.name, delegation: person.delegation })),
    h("p", { class: "hint" }, t("desk_seat_hint")),
    choices.length
      ? h(
          "ul",
          { class: "desk-found-list", "data-testid": "desk-seat-choices" },
          choices.map((choice) =>
            h(
              "li",
              { class: "desk-person" },
              h("span", {}, h("strong", {}, choice.name), ` · ${choice.checked_in ? t("desk_is_in") : t("desk_is_out")}`),
              h("button", { type: "button", class: "button button-small button-primary", "data-testid": "desk-seat-choice", onclick: () => takeSeat(person, choice) }, t(label, { name: choice.name })),
            ),
          ),
        )
      : h("p", { class: "muted", "data-testid": "desk-seat-none" }, t(action === "take" ? "desk_seat_no_delegate" : "desk_seat_no_alternate")),
    found.more ? h("p", { class: "muted" }, t("desk_more")) : null,
    h("button", { type: "button", class: "button", onclick: closeSeat }, t("desk_seat_cancel")),
  );
  seatBox.hidden = false;
  $("#desk-seat-title").focus();
}

function closeSeat() {
  seatBox.hidden = true;
  replaceChildren(seatBox);
  searchBox.focus();
}

async function takeSeat(person, choice) {
  let reply;
  try {
    reply = await live.command("checkins.add", seatArgs(person, choice));
  } catch (error) {
    say(t("desk_refused", { message: error.message || String(error) }), "error");
    return;
  }
  scans = addScan(scans, reply, Date.now());
  if (live.state) live.state.checkins = reply.counts;
  seatBox.hidden = true;
  replaceChildren(seatBox);
  renderScans();
  if (live.state) renderState(live.state);
  say(t("desk_seated", { who: reply.name, seat: reply.seat_of ? reply.seat_of.name : "" }));
  if (searchBox.value.trim()) runSearch();
  searchBox.focus();
}

function renderScans() {
  const list = $("#desk-scans");
  $("#desk-scans-empty").hidden = scans.length > 0;
  replaceChildren(
    list,
    scans.map((scan) =>
      h(
        "li",
        { class: "desk-scan", "data-testid": "desk-scan", "data-undone": String(scan.undone) },
        h("span", { class: "desk-scan-text" }, scanText(scan, t), seatText(scan.entry, t) ? h("span", { class: "desk-seat", "data-testid": "desk-seat-text" }, ` · ${seatText(scan.entry, t)}`) : null),
        scan.undone ? null : seatButton(scan.entry),
        scan.undone
          ? h("button", { type: "button", class: "button button-small", onclick: () => checkIn({ entry_id: scan.entry.entry_id }) }, t("desk_check_in_again"))
          : h(
              "button",
              { type: "button", class: "button button-small", "data-testid": "desk-undo", "aria-label": t("desk_undo_who", { name: scan.entry.name }), onclick: () => checkOut(scan.entry.entry_id) },
              t("desk_undo"),
            ),
      ),
    ),
  );
}

// -- the typed code ------------------------------------------------------------------------------

$("#desk-code-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($("#desk-code"));
  const args = scanArgs(input.value);
  if (!args) return;
  input.value = "";
  checkIn(args);
});

// -- the search by name --------------------------------------------------------------------------

const searchBox = /** @type {HTMLInputElement} */ ($("#desk-search"));
/** @type {ReturnType<typeof setTimeout> | undefined} */
let searchTimer;
searchBox.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, SEARCH_DELAY_MS);
});

async function runSearch() {
  const words = searchBox.value.trim();
  const box = $("#desk-found");
  if (!words) {
    replaceChildren(box);
    return;
  }
  let found;
  try {
    found = await live.command("checkins.search", { search: words });
  } catch (error) {
    replaceChildren(box, h("p", { class: "error" }, t("desk_refused", { message: error.message || String(error) })));
    return;
  }
  if (searchBox.value.trim() !== words) return; // typed on meanwhile
  replaceChildren(
    box,
    found.entries.length
      ? h(
          "ul",
          { class: "desk-found-list" },
          found.entries.map((entry) =>
            h(
              "li",
              { class: "desk-person", "data-testid": "desk-person" },
              h(
                "span",
                {},
                h("strong", {}, entry.name),
                ` · ${entry.delegation || "—"} · ${roleText(entry.role, t)}`,
                seatText(entry, t) ? h("span", { class: "desk-seat", "data-testid": "desk-seat-text" }, ` · ${seatText(entry, t)}`) : null,
              ),
              seatButton(entry),
              entry.checked_in
                ? h("button", { type: "button", class: "button button-small", "aria-label": t("desk_check_out_who", { name: entry.name }), onclick: () => checkOut(entry.entry_id) }, t("desk_check_out"))
                : h("button", { type: "button", class: "button button-small button-primary", "aria-label": t("desk_check_in_who", { name: entry.name }), onclick: () => checkIn({ entry_id: entry.entry_id }) }, t("desk_check_in")),
            ),
          ),
        )
      : h("p", { class: "muted" }, t("desk_none_found")),
    found.more ? h("p", { class: "muted" }, t("desk_more")) : null,
  );
}

// -- the camera ----------------------------------------------------------------------------------

/** @type {MediaStream | null} */
let stream = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let frameTimer;
const video = /** @type {HTMLVideoElement} */ ($("#desk-video"));
const cameraButton = $("#desk-camera");

/** A decoder of one video frame into the QR's text (or null). */
async function makeDecoder() {
  const forced = new URLSearchParams(location.search).get("decoder");
  const Detector = /** @type {any} */ (window).BarcodeDetector;
  if (Detector && forced !== "jsqr") {
    try {
      const formats = await Detector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        const detector = new Detector({ formats: ["qr_code"] });
        $("#desk-camera-box").dataset.decoder = "barcode-detector";
        return async () => {
          const found = await detector.detect(video);
          return found.length ? found[0].rawValue : null;
        };
      }
    } catch {
      // fall through to jsQR
    }
  }
  const jsQR = await loadJsQR();
  const canvas = document.createElement("canvas");
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d", { willReadFrequently: true }));
  $("#desk-camera-box").dataset.decoder = "jsqr";
  return async () => {
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (!width || !height) return null;
    const scale = Math.min(1, 640 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return code ? code.data : null;
  };
}

/** @returns {Promise<any>} the vendored jsQR, loaded once as a classic script */
function loadJsQR() {
  const ready = /** @type {any} */ (window).jsQR;
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = jsqrUrl;
    script.onload = () => resolve(/** @type {any} */ (window).jsQR);
    script.onerror = () => reject(new Error("jsQR"));
    document.head.append(script);
  });
}

async function startCamera() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say(t("desk_no_camera"), "error");
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch {
    say(t("desk_no_camera"), "error");
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play().catch(() => {});
  setText(cameraButton, t("desk_camera_stop"));
  let decode;
  try {
    decode = await makeDecoder();
  } catch {
    say(t("desk_no_decoder"), "error");
    stopCamera();
    return;
  }
  const tick = async () => {
    if (!stream) return;
    try {
      const text = await decode();
      if (text && gate.accept(text, Date.now())) {
        const args = scanArgs(text);
        if (args) await checkIn(args);
      }
    } catch {
      // a frame that could not be read: the next one
    }
    if (stream) frameTimer = setTimeout(tick, FRAME_MS);
  };
  tick();
}

function stopCamera() {
  clearTimeout(frameTimer);
  if (stream) for (const track of stream.getTracks()) track.stop();
  stream = null;
  video.srcObject = null;
  video.hidden = true;
  setText(cameraButton, t("desk_camera_start"));
}

cameraButton.addEventListener("click", () => (stream ? stopCamera() : startCamera()));

live.subscribe(renderState);
live.connect();
renderScans();
