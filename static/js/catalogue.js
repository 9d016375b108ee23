// Catalogue filters: leave empty fields out of the query string, so shared links stay short.
// Without JavaScript the form works the same, with a longer URL.
(function () {
  var form = document.getElementById("filtres");
  if (!form) return;
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && !field.disabled && field.value === "" && field.type !== "radio") {
        field.disabled = true;
        field.dataset.emptied = "true";
      }
    });
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio][value='']:checked"), function (field) {
      field.disabled = true;
      field.dataset.emptied = "true";
    });
  });
  // Coming back through the browser history: give the fields back.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.querySelectorAll("[data-emptied]"), function (field) {
      field.disabled = false;
      delete field.dataset.emptied;
    });
  });
})();

// Long facet lists (fieldset[data-filterable]): a box that keeps the options whose label
// contains what is typed, ignoring case and accents, and opens "show all" meanwhile. Without
// JavaScript every option is still there (the rest behind "show all").
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("fieldset[data-filterable]").forEach(function (fieldset) {
    var options = fieldset.querySelectorAll(".facet-option");
    var more = fieldset.querySelector("details.facet-more");
    var wasOpen = more && more.open;
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm facet-search";
    box.id = fieldset.id + "-recherche";
    box.setAttribute("aria-label", fieldset.dataset.filterable);
    box.placeholder = fieldset.dataset.filterable;
    // Typing Enter in the box must not submit the filters.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    box.addEventListener("input", function () {
      var query = fold(box.value.trim());
      options.forEach(function (option) {
        option.hidden = query !== "" && fold(option.textContent).indexOf(query) === -1;
      });
      if (more) more.open = query !== "" || wasOpen;
    });
    fieldset.querySelector("legend").after(box);
  });
})();
