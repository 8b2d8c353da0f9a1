// Marks the page as able to run GOV.UK Frontend's JavaScript. Loaded as a file, not
// inline, so that the Content-Security-Policy needs no 'unsafe-inline'.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
