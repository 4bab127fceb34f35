/* The session page's Print button: the browser's own print dialog, which print.css turns into
   the one-to-two page chart document. No inline script, so the pages can forbid it. */
document.querySelectorAll("button.print-button").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
