/* The article page: pointing at, clicking or tabbing to a marked stretch of text shows the
 * fields found there (copied from the list of fields under the text, already escaped by the
 * server) and lights up the innermost field's whole evidence. Escape clears. */
(function () {
  "use strict";
  var text = document.getElementById("text");
  var panel = document.getElementById("field-details");
  if (!text || !panel) {
    return;
  }

  function clear() {
    panel.textContent = "";
    text.querySelectorAll(".lit").forEach(function (node) { node.classList.remove("lit"); });
  }

  function show(segment) {
    var ids = (segment.getAttribute("data-f") || "").split(" ").filter(Boolean);
    clear();
    var innermost = null;
    var shortest = Infinity;
    ids.forEach(function (id) {
      var item = document.getElementById(id);
      if (!item || !/^f[0-9]+$/.test(id)) {
        return;
      }
      var copy = item.cloneNode(true);
      copy.removeAttribute("id");
      panel.appendChild(copy);
      var size = Number(item.dataset.end) - Number(item.dataset.start);
      if (size < shortest) {
        shortest = size;
        innermost = id;
      }
    });
    if (innermost) {
      text.querySelectorAll('[data-f~="' + innermost + '"]').forEach(function (node) {
        node.classList.add("lit");
      });
    }
  }

  function segmentOf(event) {
    var target = event.target;
    return target && target.closest ? target.closest(".hl") : null;
  }

  text.addEventListener("mouseover", function (event) {
    var segment = segmentOf(event);
    if (segment) { show(segment); }
  });
  text.addEventListener("click", function (event) {
    var segment = segmentOf(event);
    if (segment) { show(segment); }
  });
  text.addEventListener("focusin", function (event) {
    var segment = segmentOf(event);
    if (segment) { show(segment); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { clear(); }
  });
})();
