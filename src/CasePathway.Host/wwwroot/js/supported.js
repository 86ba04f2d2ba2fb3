// GOV.UK Frontend styles its JavaScript-enhanced components only when the body says the browser runs them.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
