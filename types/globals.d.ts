// What the pages add to the browser's globals, for the type checks (tsconfig.screens.json).
// Nothing here is served: the pages are plain ES modules.

interface Window {
  /** The page's LiveConnection, for debugging from the browser's console and for the
   * browser tests (tests/e2e). */
  convene?: import("../static/js/live.js").LiveConnection;
}
