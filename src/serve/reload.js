// treatyline serve: live reload and the build-error overlay. Injected into served pages only.
(function () {
  var state = window.__treatyline;
  var here = decodeURIComponent(location.pathname).replace(/^\//, "");
  if (here === "" || here.slice(-1) === "/") here += "index.html";

  function overlay(text) {
    var box = document.getElementById("treatyline-error");
    if (text === null) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "treatyline-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
        "background:rgba(20,20,24,.94);color:#f4f4f5;font:14px/1.5 ui-monospace,monospace";
      var title = document.createElement("p");
      title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#fca5a5";
      title.textContent = "The build failed; this page is the last good build. Fix the file and it reloads.";
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap";
      box.appendChild(title);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = text;
  }

  function refreshStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("treatyline", Date.now());
      links[i].href = url.toString();
    }
  }

  var events = new EventSource(state.events);
  events.addEventListener("hello", function (e) {
    if (Number(e.data) !== state.generation) location.reload();
  });
  events.addEventListener("reload", function (e) {
    var changed = e.data === "*" ? "*" : JSON.parse(e.data);
    if (changed === "*" || changed.indexOf(here) >= 0 || changed.indexOf(state.page) >= 0) {
      location.reload();
    }
  });
  events.addEventListener("css", refreshStylesheets);
  events.addEventListener("build-error", function (e) {
    overlay(e.data);
  });
  events.addEventListener("fixed", function () { overlay(null); });
})();
