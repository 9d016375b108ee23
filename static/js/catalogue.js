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
