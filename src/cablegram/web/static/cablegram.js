// cablegram: the one script of the web pages (served from /static: the CSP allows no
// inline script). Everything works without it; it only adds drag selection to the search
// page's date histogram: press on one bar, move across others, release, and the range
// form under the chart is filled with the first and last bucket and submitted. A click
// on a single bar keeps following its link (the bucket alone).
"use strict";

function setUpHistogram(chart) {
  const form = chart.querySelector("form[data-range-form]");
  const bars = Array.from(chart.querySelectorAll("a[data-bucket]"));
  if (!form || bars.length === 0) {
    return;
  }
  let first = null;
  let last = null;

  function mark() {
    const low = Math.min(first, last);
    const high = Math.max(first, last);
    bars.forEach((bar, position) => {
      bar.classList.toggle("chosen", first !== null && position >= low && position <= high);
    });
  }

  bars.forEach((bar, position) => {
    bar.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) {
        return;
      }
      first = position;
      last = position;
      mark();
    });
    bar.addEventListener("pointerenter", () => {
      if (first !== null) {
        last = position;
        mark();
      }
    });
    bar.addEventListener("click", (event) => {
      // After a drag, the release is not a click on the bar's own link.
      if (chart.dataset.dragged === "yes") {
        event.preventDefault();
        chart.dataset.dragged = "";
      }
    });
  });
  // Links are draggable by default; a native drag would swallow the pointer events.
  chart.addEventListener("dragstart", (event) => event.preventDefault());

  document.addEventListener("pointerup", () => {
    if (first === null) {
      return;
    }
    const low = Math.min(first, last);
    const high = Math.max(first, last);
    first = null;
    if (low === high) {
      return;
    }
    chart.dataset.dragged = "yes";
    form.elements.namedItem("from").value = bars[low].dataset.bucket;
    form.elements.namedItem("to").value = bars[high].dataset.bucket;
    form.submit();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-histogram]").forEach(setUpHistogram);
});
