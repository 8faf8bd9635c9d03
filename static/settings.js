// Offers the browser's own time zone while the user has not chosen one (the form is in
// base.html, hidden until this fills it in). Without JavaScript nothing shows; Settings has the
// full list either way.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  var offer = document.getElementById("zone-offer");
  if (offer && zone && zone !== offer.getAttribute("data-current")) {
    document.getElementById("zone-offer-value").value = zone;
    document.getElementById("zone-offer-name").textContent = zone;
    offer.hidden = false;
  }
  var hint = document.getElementById("zone-hint");
  var select = document.getElementById("timezone");
  if (hint && select && zone && select.value !== zone) {
    document.getElementById("zone-hint-name").textContent = zone;
    hint.hidden = false;
  }
})();
