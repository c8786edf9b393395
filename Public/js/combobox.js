// Searchable pickers, added on top of fields that work without JavaScript (WAI-ARIA 1.2 combobox pattern).
//
// - <select multiple data-combobox>: a text box that filters the options as you type; Arrow keys move through the
//   matches, Enter or a click chooses one, Escape closes the list. What is chosen is listed under the box with a
//   button to remove each. The select stays in the form (hidden) and is what is sent.
// - <input data-suggest="/api/v1/organisations?per=8&q=" data-suggest-value="orgnr">: suggestions from the API as
//   you type; choosing one fills in the field (e.g. the organisation number). The field still takes typed text.
//
// Texts come from data attributes on the field (data-remove, data-no-matches, data-count), so the page's language
// is used. Without JavaScript the plain select and text field are all there is.
(function () {
  "use strict";
  var counter = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function normalise(s) {
    return (s || "").toLocaleLowerCase("sv").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // Shared list behaviour: a listbox under an input, with an active option followed by aria-activedescendant.
  function Listbox(input, onChoose) {
    var id = "cb-" + (++counter);
    var list = el("ul", { role: "listbox", id: id + "-list", class: "combobox-list", hidden: "" });
    var status = el("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var items = [], active = -1;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function setActive(i) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (i + options.length) % options.length;
      options.forEach(function (o, j) { o.classList.toggle("active", j === active); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }
    function show(newItems, emptyText, countText) {
      items = newItems;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      items.forEach(function (item, i) {
        var o = el("li", { role: "option", id: id + "-o" + i, "aria-selected": item.selected ? "true" : "false" }, item.label);
        o.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        o.addEventListener("click", function () { onChoose(item); });
        list.appendChild(o);
      });
      if (!items.length && emptyText) list.appendChild(el("li", { class: "combobox-empty", "aria-disabled": "true" }, emptyText));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = items.length ? (countText || "").replace("{0}", items.length) : (emptyText || "");
    }
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); if (list.hidden) input.dispatchEvent(new Event("input")); setActive(active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); setActive(active - 1); }
      else if (ev.key === "Enter" && !list.hidden && active >= 0) { ev.preventDefault(); onChoose(items[active]); }
      else if (ev.key === "Escape" && !list.hidden) { ev.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    return { list: list, status: status, show: show, close: close, isOpen: function () { return !list.hidden; } };
  }

  function enhanceSelect(select) {
    var label = document.querySelector("label[for='" + select.id + "']");
    var input = el("input", { type: "text", id: select.id + "-search", class: "combobox-input" });
    if (select.getAttribute("aria-describedby")) input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    var chosen = el("ul", { class: "combobox-chosen", "aria-label": (label ? label.textContent : "") });
    var options = Array.prototype.map.call(select.options, function (o) {
      var group = o.parentElement && o.parentElement.tagName === "OPTGROUP" ? o.parentElement.label : "";
      return { option: o, label: o.textContent, group: group, key: normalise(o.textContent + " " + group) };
    });

    function renderChosen() {
      chosen.textContent = "";
      options.filter(function (x) { return x.option.selected; }).forEach(function (x) {
        var li = el("li");
        li.appendChild(el("span", {}, x.label));
        var b = el("button", { type: "button", class: "link-button" }, select.dataset.remove || "×");
        b.appendChild(el("span", { class: "visually-hidden" }, " " + x.label));
        b.addEventListener("click", function () { x.option.selected = false; renderChosen(); input.focus(); });
        li.appendChild(b);
        chosen.appendChild(li);
      });
    }
    var box = Listbox(input, function (item) {
      item.option.selected = !item.option.selected;
      renderChosen();
      input.value = "";
      box.close();
    });
    input.addEventListener("input", function () {
      var q = normalise(input.value.trim());
      var matches = options.filter(function (x) { return !q || x.key.indexOf(q) >= 0; }).slice(0, 60);
      box.show(matches.map(function (x) {
        return { option: x.option, label: x.label + (x.group && x.group !== x.label ? " (" + x.group + ")" : ""), selected: x.option.selected };
      }), select.dataset.noMatches, select.dataset.count);
    });
    if (label) label.setAttribute("for", input.id);
    var hint = document.getElementById(select.id + "-hint");
    if (hint && select.dataset.hint) hint.textContent = select.dataset.hint;
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    var wrap = el("div", { class: "combobox" });
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(input);
    wrap.appendChild(box.list);
    wrap.appendChild(box.status);
    wrap.appendChild(chosen);
    wrap.appendChild(select);
    renderChosen();
  }

  function enhanceSuggest(input) {
    var source = input.dataset.suggest, valueKey = input.dataset.suggestValue || "id", timer = null, asked = "";
    var box = Listbox(input, function (item) { input.value = item.value; box.close(); });
    var wrap = el("div", { class: "combobox" });
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(box.list);
    wrap.appendChild(box.status);
    input.addEventListener("input", function () {
      var q = input.value.trim();
      window.clearTimeout(timer);
      if (q.length < 2) { box.close(); return; }
      timer = window.setTimeout(function () {
        asked = q;
        fetch(source + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (data) {
            if (asked !== q) return;
            var items = (data.items || []).filter(function (x) { return x[valueKey]; }).map(function (x) {
              return { value: x[valueKey], label: x.name + " (" + x[valueKey] + ")" };
            });
            box.show(items, input.dataset.noMatches, input.dataset.count);
          })
          .catch(function () { box.close(); });
      }, 200);
    });
  }

  function init() {
    document.querySelectorAll("select[multiple][data-combobox]").forEach(enhanceSelect);
    document.querySelectorAll("input[data-suggest]").forEach(enhanceSuggest);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
