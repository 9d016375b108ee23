// Every page: behaviour that would otherwise be inline attributes, which the content security
// policy forbids. A <select data-submit-on-change> (the language menu) submits its form.
(function () {
  "use strict";
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
