// @ts-check
// The page shown once after creating a convening: copy buttons.

import { wireCopyButtons } from "./dom.js";
import { t } from "./i18n.js";

wireCopyButtons(t, document.getElementById("copy-status"));
