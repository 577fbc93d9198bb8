// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  for (const link of document.querySelectorAll("a[data-back]")) {
    link.addEventListener("click", (event) => {
      if (history.length > 1) { event.preventDefault(); history.back(); }
    });
  }
  // Hovering a highlighted span highlights every span of the same claim.
  for (const mark of document.querySelectorAll("mark.span")) {
    mark.addEventListener("mouseenter", () => mark.classList.add("focus"));
    mark.addEventListener("mouseleave", () => mark.classList.remove("focus"));
  }
  // Ask before rejecting a claim.
  for (const button of document.querySelectorAll("button.reject")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm("Reject this claim?")) event.preventDefault();
    });
  }
});
