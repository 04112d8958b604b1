// Scoring sheet: Enter / arrow keys move between cells of the same column.
(function () {
  "use strict";
  function cellsOf(column) {
    return Array.prototype.slice.call(
      document.querySelectorAll('.score-input[data-col="' + column + '"]'));
  }
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("score-input")) { return; }
    var step = 0;
    if (event.key === "Enter" || event.key === "ArrowDown") { step = 1; }
    if (event.key === "ArrowUp") { step = -1; }
    if (!step) { return; }
    event.preventDefault();
    var cells = cellsOf(input.getAttribute("data-col"));
    var next = cells[cells.indexOf(input) + step];
    if (next) { next.focus(); next.select(); }
  });
  // Select the value on focus so typing replaces it.
  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("score-input")) {
      event.target.select();
    }
  });
})();
