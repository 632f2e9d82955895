// Fill two accessibility gaps of Material for MkDocs 9.8.2 that axe-core
// reports as serious on every page.
document$.subscribe(function () {
  // The search overlay has role="dialog" but no accessible name: name it
  // after the search field.
  const dialog = document.querySelector(".md-search[role=dialog]");
  const field = document.querySelector(".md-search__input");
  if (dialog && field && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", field.getAttribute("aria-label") || "Search");
  }

  // A table wider than the page scrolls inside its wrapper, which a keyboard
  // user can only scroll once the wrapper can take focus.
  for (const wrapper of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (wrapper.scrollWidth > wrapper.clientWidth && !wrapper.hasAttribute("tabindex")) {
      wrapper.setAttribute("tabindex", "0");
    }
  }
});
