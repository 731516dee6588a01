// @ts-check
// Downloads from the JSON API, which wants the bearer token in a header: fetch the file,
// then hand it to the browser through an object URL and an <a download>.

import { h } from "./dom.js";

/** GET `url` with the token; resolves to the Response, rejects with Error(server's message). */
export async function apiGet(url, token) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) {
    let message = response.statusText;
    try {
      message = (await response.json()).error.message || message;
    } catch {
      /* not JSON: keep the status text */
    }
    throw new Error(message);
  }
  return response;
}

/** Download `url` as the file the server names in Content-Disposition. */
export async function downloadFile(url, token, fallbackName = "download") {
  const response = await apiGet(url, token);
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = disposition.match(/filename="([^"]+)"/);
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = h("a", { href: objectUrl, download: match ? match[1] : fallbackName, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}
