// Every page: behaviour that would otherwise be inline attributes, which the content security
// policy forbids. After a failed submission, focus goes to the form's error summary
// ([data-error-summary], templates/includes/error_summary.html), which links to each field.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
