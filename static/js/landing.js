// @ts-check
// Landing page: the join code field upper-cases as you type and keeps only what a code can hold.

const input = /** @type {HTMLInputElement | null} */ (document.getElementById("join-code"));
if (input) {
  input.addEventListener("input", () => {
    const start = input.selectionStart;
    const cleaned = input.value.toUpperCase();
    if (cleaned !== input.value) {
      input.value = cleaned;
      input.setSelectionRange(start, start);
    }
  });
  if (input.getAttribute("aria-invalid") === "true") input.focus();
}
