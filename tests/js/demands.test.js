// Shared pieces of the demand screens (static/js/demands.js) that need no DOM.
import assert from "node:assert/strict";
import { test } from "node:test";

import { amendmentNote } from "../../static/js/demands.js";

const spanish = {
  "amendment_note:The demand was withdrawn.": "La demanda fue retirada.",
};
const t = (key) => spanish[key] ?? key;

test("an outdated amendment's note is shown in the page's language", () => {
  assert.equal(amendmentNote("The demand was withdrawn.", t), "La demanda fue retirada.");
});

test("a note the page has no translation for is shown as stored", () => {
  assert.equal(amendmentNote("Una nota de un servidor más nuevo.", t), "Una nota de un servidor más nuevo.");
});
