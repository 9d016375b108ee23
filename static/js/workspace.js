/* Workspace sheet form: add formset lines, and show completeness as the user types.
   Everything works without JavaScript too (one empty line per formset, saved completeness). */
(function () {
  "use strict";

  function setUpFormset(container) {
    var prefix = container.dataset.formset;
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = container.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var rows = container.querySelector("[data-formset-rows]");
    var template = container.querySelector("template[data-formset-empty]");
    var button = container.querySelector("[data-formset-add]");
    if (!total || !rows || !template || !button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      updateCompleteness();
    });
  }

  // Partner and funder lines are text inputs sharing one <datalist>: as the user types, it is
  // filled with the names the server suggests (the partners this user may see).
  function setUpPartnerSuggestions(form) {
    var list = document.getElementById("partner-names");
    if (!list || !list.dataset.suggestionsUrl) return;
    var timer = null;
    var asked = "";
    function suggest(typed) {
      if (typed === asked) return;
      asked = typed;
      fetch(list.dataset.suggestionsUrl + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (response) { return response.ok ? response.json() : { names: [] }; })
        .then(function (data) {
          if (typed !== asked) return;
          list.replaceChildren.apply(list, data.names.map(function (name) {
            var option = document.createElement("option");
            option.value = name;
            return option;
          }));
        })
        .catch(function () { /* no suggestions: typing a name still works */ });
    }
    form.addEventListener("input", function (event) {
      var input = event.target;
      if (!input.matches || !input.matches("[data-partner-name]")) return;
      var typed = input.value.trim();
      window.clearTimeout(timer);
      if (typed.length < 2) return;
      timer = window.setTimeout(function () { suggest(typed); }, 200);
    });
  }

  // Same rule as the server (actions.sections.is_filled): a section counts when one of the
  // inputs its fieldset names in data-counted holds something: its own field, its details
  // (budget, numbers of people), the partner of one of its lines ("*" is a line's number).
  function counted(fieldset) {
    return (fieldset.dataset.counted || "").split(" ").filter(Boolean).map(function (name) {
      return new RegExp("^" + name.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace("*", "\\d+") + "$");
    });
  }

  function relevant(input, patterns) {
    return patterns.some(function (pattern) { return pattern.test(input.name); });
  }

  function filled(fieldset) {
    var patterns = counted(fieldset);
    var inputs = fieldset.querySelectorAll("input, select, textarea");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (!relevant(input, patterns)) continue;
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) return true;
      } else if (input.value && input.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function updateCompleteness() {
    var box = document.querySelector("[data-completeness-live]");
    var sections = document.querySelectorAll("fieldset[data-counts='1']");
    if (!box || !sections.length) return;
    var count = 0;
    sections.forEach(function (fieldset) { if (filled(fieldset)) count += 1; });
    var value = Math.round((100 * count) / sections.length);
    box.hidden = false;
    var bar = box.querySelector("progress");
    bar.value = value;
    bar.textContent = value + " %";
    box.querySelector(".small.text-nowrap").textContent = value + " %";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset]").forEach(setUpFormset);
    var form = document.querySelector("[data-action-form]");
    if (form) {
      setUpPartnerSuggestions(form);
      form.addEventListener("input", updateCompleteness);
      form.addEventListener("change", updateCompleteness);
      updateCompleteness();
    }
  });
})();
