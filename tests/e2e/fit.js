// Run in the page by tests/e2e/fit.py: what is cut off, what is too small.
({
  cutOff: (slack) => {
    const found = [];
    const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
    const clips = new Map();  // element → its clip box (or null when it shows its overflow)
    function clipOf(el) {
      if (clips.has(el)) return clips.get(el);
      const s = getComputedStyle(el);
      let box = null;
      const x = s.overflowX !== "visible", y = s.overflowY !== "visible";
      if (x || y) {
        const r = el.getBoundingClientRect();
        const left = r.left + parseFloat(s.borderLeftWidth), top = r.top + parseFloat(s.borderTopWidth);
        box = {
          x, y, left, top,
          right: left + el.clientWidth, bottom: top + el.clientHeight,
          tiny: el.clientWidth <= 1 || el.clientHeight <= 1,
        };
      }
      clips.set(el, box);
      return box;
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.replace(/\s+/g, " ").trim();
      if (!text) continue;
      const el = node.parentElement;
      if (!el || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      if (el.closest("script, style, template, title, .visually-hidden, .skip-link:not(:focus)")) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter((r) => r.width >= 1 && r.height >= 1);
      if (!rects.length) continue;
      let why = null;
      for (const r of rects) {
        if (r.left < -slack || r.top < -slack || r.right > vw + slack || r.bottom > vh + slack) {
          why = "outside the viewport";
          break;
        }
        for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
          const c = clipOf(a);
          if (!c || c.tiny) continue;
          if ((c.x && (r.left < c.left - slack || r.right > c.right + slack)) ||
              (c.y && (r.top < c.top - slack || r.bottom > c.bottom + slack))) {
            why = `outside <${a.tagName.toLowerCase()}${a.id ? "#" + a.id : ""}${a.classList.length ? "." + [...a.classList].join(".") : ""}>`;
            break;
          }
        }
        if (why) break;
      }
      if (why) found.push(`${JSON.stringify(text.slice(0, 70))}: ${why}`);
    }
    return found;
  },
  tooSmall: (min) => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      if (el.closest(".visually-hidden, .skip-link:not(:focus)")) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < min - 0.01) found.push(`${JSON.stringify(text.slice(0, 50))}: ${size.toFixed(1)} px`);
    }
    return found;
  },
})
