// The projector cannot scroll, so every region of it fits its content to the space it has
// (docs/using-convene.md, "What fits on the projector"):
//  1. the layout gives each region its space (CSS: static/css/projector.css);
//  2. the region's type shrinks (the --fit factor, every size in it is in em) down to the
//     point where its smallest text would fall below the minimum (MIN_TEXT_SHARE of the
//     screen's height);
//  3. if it still does not fit, it pages: its [data-page-item] elements are split into pages
//     that each fit, shown in turn every PAGE_MS, with "1/2" in the corner.
// Text is never cut. Whatever is not a page item (a title, a result's headline) stays on
// screen on every page. A region re-fits whenever its content, its visibility or the window
// changes; while a re-fit is pending the root has data-fitting (the browser tests wait on it).

/** No text on the projector is smaller than this share of the screen's height. */
export const MIN_TEXT_SHARE = 0.02;
/** A page of a region that does not fit stays this long. */
export const PAGE_MS = 8000;
const STEPS = 7; // binary search of the --fit factor: within 1% of the best

const overflows = (el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;

function visible(el) {
  return el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
}

/** The smallest font size (px) of visible text in ``region``. */
function smallestText(region) {
  let smallest = Infinity;
  const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !visible(el) || el.closest(".fit-pager")) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  }
  return smallest;
}

class Region {
  constructor(el, format) {
    this.el = el;
    this.format = format;
    this.pages = [];
    this.page = 0;
    this.pager = null;
  }

  setFit(value) {
    this.el.style.setProperty("--fit", value.toFixed(3));
  }

  fit(minPx) {
    const el = this.el;
    const items = [...el.querySelectorAll("[data-page-item]")];
    for (const item of items) item.classList.remove("off-page");
    if (this.pager) this.pager.hidden = true;
    this.setFit(1);
    this.pages = [];
    if (el.hidden || !visible(el) || !overflows(el)) return;
    const smallest = smallestText(el);
    const floor = Number.isFinite(smallest) ? Math.min(1, (minPx + 0.2) / smallest) : 1;
    this.setFit(floor);
    if (!overflows(el)) {
      let lo = floor;
      let hi = 1;
      for (let i = 0; i < STEPS; i += 1) {
        const mid = (lo + hi) / 2;
        this.setFit(mid);
        if (overflows(el)) hi = mid;
        else lo = mid;
      }
      this.setFit(lo);
      return;
    }
    this.paginate(items.filter(visible));
    // Last resort, when a page still does not fit (one item too big for the space): smaller
    // type than the minimum rather than text cut off. The browser tests flag both.
    let fit = floor;
    while (this.overflowing() && fit > 0.4) {
      fit *= 0.92;
      this.setFit(fit);
      this.pages = [];
      for (const item of items) item.classList.remove("off-page");
      this.paginate(items.filter(visible));
    }
  }

  overflowing() {
    if (!this.pages.length) return overflows(this.el);
    const page = this.page;
    let over = false;
    for (let i = 0; i < this.pages.length && !over; i += 1) {
      this.page = i;
      this.showPage(false);
      over = overflows(this.el);
    }
    this.page = page;
    this.showPage(false);
    return over;
  }

  paginate(items) {
    if (this.pager) this.pager.hidden = true;
    if (items.length < 2) return;
    if (!this.pager) {
      this.pager = document.createElement("p");
      this.pager.className = "fit-pager";
      this.pager.dataset.testid = "pager";
    }
    if (this.pager.parentNode !== this.el) this.el.append(this.pager);
    const pager = this.pager;
    pager.hidden = false;
    pager.textContent = this.format(items.length, items.length);
    const show = (item, on) => item.classList.toggle("off-page", !on);
    let start = 0;
    while (start < items.length) {
      for (const item of items) show(item, false);
      let end = start;
      show(items[end], true);
      end += 1;
      while (end < items.length) {
        show(items[end], true);
        if (overflows(this.el)) {
          show(items[end], false);
          break;
        }
        end += 1;
      }
      this.pages.push(items.slice(start, end));
      start = end;
    }
    if (this.pages.length < 2) {
      for (const item of items) show(item, true);
      this.pages = [];
      pager.hidden = true;
      return;
    }
    // As many pages, more even (10 + 2 reads worse than 6 + 6), where each still fits.
    const size = Math.ceil(items.length / this.pages.length);
    const even = [];
    for (let i = 0; i < items.length; i += size) even.push(items.slice(i, i + size));
    const fits = even.length === this.pages.length && even.every((page) => {
      for (const item of items) show(item, page.includes(item));
      return !overflows(this.el);
    });
    if (fits) this.pages = even;
    this.page = Math.min(this.page, this.pages.length - 1);
    this.showPage(false);
  }

  showPage(fresh) {
    const all = this.pages.flat();
    for (const item of all) item.classList.add("off-page");
    for (const item of this.pages[this.page]) {
      item.classList.remove("off-page");
      if (fresh) {
        item.classList.add("page-in");
        item.addEventListener("animationend", () => item.classList.remove("page-in"), { once: true });
      }
    }
    this.pager.textContent = this.format(this.page + 1, this.pages.length);
    this.pager.setAttribute("aria-label", this.pager.textContent);
  }

  next() {
    if (this.pages.length < 2) return false;
    this.page = (this.page + 1) % this.pages.length;
    this.showPage(true);
    return true;
  }
}

/**
 * Keep every ``[data-fit]`` region under ``root`` fitted. ``format(n, total)`` writes the
 * page marker ("1/2").
 */
export function fitRegions(root, format = (n, total) => `${n}/${total}`) {
  const regions = new Map();
  let pending = 0;
  let observer = null;

  const region = (el) => {
    if (!regions.has(el)) regions.set(el, new Region(el, format));
    return regions.get(el);
  };

  function run() {
    pending = 0;
    observer.disconnect();
    const minPx = MIN_TEXT_SHARE * document.documentElement.clientHeight;
    for (const el of root.querySelectorAll("[data-fit]")) region(el).fit(minPx);
    root.removeAttribute("data-fitting");
    observer.takeRecords();
    watch();
  }

  function schedule() {
    if (pending) return;
    root.setAttribute("data-fitting", "");
    pending = requestAnimationFrame(run);
  }

  function watch() {
    observer.observe(root, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["hidden", "data-mode", "data-floor", "data-demands", "data-state"],
    });
  }

  observer = new MutationObserver(schedule);
  watch();
  window.addEventListener("resize", schedule);
  setInterval(() => {
    observer.disconnect();
    for (const r of regions.values()) r.next();
    observer.takeRecords();
    watch();
  }, PAGE_MS);
  schedule();
  return { schedule };
}
