// Loaded (not as a module, so before the body is parsed) by every page: marks the document as
// scripted, so that controls that need JavaScript (copy buttons, search, the compare form) are
// laid out from the first paint instead of appearing later and shifting the page (style.css
// `.needs-js`). Without JavaScript they are not shown at all.
document.documentElement.classList.add('js');
