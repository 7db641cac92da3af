// The inspection form, offline-first. Everything typed is kept on the phone (IndexedDB) as it is
// typed; photos are shrunk on the phone and kept with it. "Submit" puts the draft in the outbox
// and sends it: the photos to /inspect/evidence (content-addressed: a retry stores nothing twice),
// then the form to /inspect/submit with the draft's idempotency key, so that however often it is
// sent again (no connection, a reload, a closed tab) it lands once. A service worker keeps the
// page and its assets for a reload with no network. Without this script the form posts as before.
(function () {
  "use strict";
  var EDGE = 1600, THUMB = 96, CACHE = "certify-inspect-v1";
  var SKIP = { csrf: 1, product_id: 1, standard: 1, facts_json: 1 };
  if (!window.indexedDB || !window.Promise || !window.fetch) { return; }  // the form posts without us
  // Each inspector's drafts apart (a phone may be shared): the next one to sign in neither sees
  // nor sends them; they wait for their own inspector.
  var USER = document.body.dataset.user;
  if (!USER) { return; }

  // --- IndexedDB: one store of drafts per inspector, keyed by product, standard and facts ------
  function db() {
    return new Promise(function (ok, no) {
      var open = indexedDB.open("certify-inspect-" + USER, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("drafts", { keyPath: "id" }); };
      open.onsuccess = function () { ok(open.result); };
      open.onerror = function () { no(open.error); };
    });
  }
  function tx(mode, run) {
    return db().then(function (d) {
      return new Promise(function (ok, no) {
        var t = d.transaction("drafts", mode), req = run(t.objectStore("drafts"));
        t.oncomplete = function () { ok(req.result); };
        t.onerror = function () { no(t.error); };
      });
    });
  }
  function get(id) { return tx("readonly", function (s) { return s.get(id); }); }
  function put(d) { return tx("readwrite", function (s) { return s.put(d); }); }
  function drop(id) { return tx("readwrite", function (s) { return s.delete(id); }); }
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function csrf() { var f = document.querySelector("input[name=csrf]"); return f ? f.value : ""; }
  function post(url, body) { return fetch(url, { method: "POST", body: body, credentials: "same-origin" }); }

  // --- sending a draft: its files, then the form; resolves to the answer, rejects offline ------
  function send(d) {
    var files = [];
    Object.keys(d.files).forEach(function (name) { files = files.concat(d.files[name]); });
    return files.reduce(function (done, f) {
      return done.then(function (stop) {
        if (stop || f.sha) { return stop; }
        var body = new FormData();
        body.append("csrf", csrf());
        body.append("file", f.blob, f.name);
        return post("/inspect/evidence", body).then(function (r) {
          if (r.status !== 201) { return r; }
          return r.json().then(function (stored) { f.sha = stored.sha256; return put(d); }).then(function () { return null; });
        });
      });
    }, Promise.resolve()).then(function (stop) {
      if (stop) { return stop; }
      var body = new FormData();
      d.fields.forEach(function (pair) { if (pair[0] !== "csrf") { body.append(pair[0], pair[1]); } });
      body.append("csrf", csrf());
      Object.keys(d.files).forEach(function (name) {
        d.files[name].forEach(function (f) { body.append("sha." + name, f.sha); });
      });
      return post("/inspect/submit", body);
    });
  }
  function landed(r) { return r.redirected && /\/inspections\/\d+$/.test(r.url); }
  function later(r) { return r.status === 429 || r.status >= 500; }
  function signedOut(r) { return r.status === 403 || (r.redirected && r.url.indexOf("/sign-in") >= 0); }

  // --- the choose page: send what the outbox holds ----------------------------------------------
  var box = document.getElementById("outbox");
  if (box) {
    var flushOutbox = function () {
      all().then(function (drafts) {
        var queued = drafts.filter(function (d) { return d.queued; });
        box.hidden = !queued.length;
        box.textContent = box.dataset.template.replace("{n}", queued.length);
        queued.forEach(function (d) {
          send(d).then(function (r) {
            if (landed(r)) {
              drop(d.id);
              box.hidden = false;
              box.textContent = box.dataset.tSent.replace("{id}", r.url.replace(/.*\//, ""));
            }
          }).catch(function () { /* still offline: tried again when the connection returns */ });
        });
      });
    };
    flushOutbox();
    window.addEventListener("online", flushOutbox);
  }

  // --- the form --------------------------------------------------------------------------------
  var form, d, timer = null, sending = false;
  function t(name, key, value) { var s = form.dataset[name] || ""; return key ? s.replace(key, value) : s; }
  function say(text, notice) {
    var out = document.getElementById("saved");
    out.textContent = text;
    out.className = notice ? "notice" : "hint";
  }
  function snapshot() {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrf") { fields.push([name, value]); }
    });
    return fields;
  }
  function restore(fields) {
    var given = {};
    fields.forEach(function (p) { (given[p[0]] = given[p[0]] || []).push(p[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "file" || el.type === "submit") { return; }
      var values = given[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") { el.checked = values.indexOf(el.value) >= 0; }
      else if (el.name !== "idempotency_key" || values.length) { el.value = values.length ? values[values.length - 1] : ""; }
    });
  }
  function save(quiet) {
    if (d.landed) { return Promise.resolve(); }  // sent: nothing is kept any more
    d.fields = snapshot();
    return put(d).then(function () {
      var now = new Date();
      form.dataset.saves = String(Number(form.dataset.saves || 0) + 1);
      if (!quiet && !d.queued) { say(t("tSaved", "{time}", now.toLocaleTimeString(document.documentElement.lang || [], { hour: "2-digit", minute: "2-digit" }))); }
    });
  }
  function progress() {
    var total = 0, done = 0;
    Array.prototype.forEach.call(form.querySelectorAll("section.part"), function (section) {
      var names = {}, n = 0, k;
      Array.prototype.forEach.call(section.querySelectorAll("[required]"), function (el) { names[el.name] = 1; });
      k = Object.keys(names);
      k.forEach(function (name) { if (form.elements.namedItem(name).value !== "") { n += 1; } });
      var count = document.querySelector(".count[data-for='" + section.id + "']");
      if (count && k.length) { count.textContent = n + "/" + k.length; count.className = "count" + (n === k.length ? " complete" : ""); }
      total += k.length; done += n;
    });
    var bar = document.getElementById("progress");
    bar.hidden = false;
    bar.querySelector("progress").value = total ? done / total : 1;
    bar.querySelector("span").textContent = bar.dataset.template.replace("{done}", done).replace("{total}", total);
  }
  function showPlan(plan) {
    var box = document.getElementById("plan"), take = document.getElementById("plan-take");
    take.textContent = take.dataset.template.replace("{size}", plan.lot_size);
    box.querySelector(".pieces").textContent = plan.pieces.join(", ");
    box.hidden = false;
  }
  function showFiles() {
    Array.prototype.forEach.call(form.querySelectorAll("ul.photos"), function (list) {
      var name = list.dataset.for, files = d.files[name] || [];
      list.textContent = "";
      files.forEach(function (f, i) {
        var item = document.createElement("li"), remove = document.createElement("button");
        if (f.thumb) { var img = document.createElement("img"); img.src = f.thumb; img.alt = ""; item.appendChild(img); }
        item.appendChild(document.createTextNode(" " + f.name + " "));
        remove.type = "button"; remove.className = "link"; remove.textContent = t("tRemove");
        remove.addEventListener("click", function () { files.splice(i, 1); save(); showFiles(); });
        item.appendChild(remove);
        list.appendChild(item);
      });
    });
  }
  function shrink(file, n) {
    var name = "photo-" + (n + 1) + ".jpg";
    if (!/^image\//.test(file.type) || !window.createImageBitmap) { return Promise.resolve({ blob: file, name: file.name }); }
    return createImageBitmap(file).then(function (img) {
      function canvas(edge) {
        var scale = Math.min(1, edge / Math.max(img.width, img.height)), c = document.createElement("canvas");
        c.width = Math.round(img.width * scale); c.height = Math.round(img.height * scale);
        c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
        return c;
      }
      var thumb = canvas(THUMB).toDataURL("image/jpeg", 0.6);
      return new Promise(function (ok) {
        canvas(EDGE).toBlob(function (blob) { ok({ blob: blob, name: name, thumb: thumb }); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return { blob: file, name: file.name }; });
  }
  function addFiles(input) {
    var chosen = Array.prototype.slice.call(input.files), kept = d.files[input.name] || [];
    input.value = "";  // kept in the draft instead: the form posts the hashes of the uploads
    Promise.all(chosen.map(function (file, i) { return shrink(file, kept.length + i); })).then(function (items) {
      d.files[input.name] = (input.multiple ? kept : []).concat(items);
      save(); showFiles();
    });
  }
  function drawSays(text) {  // beside the button, as the service's answer would put it
    var out = document.getElementById("e-draw"), button = document.getElementById("draw");
    if (!out) {
      out = document.createElement("p"); out.className = "error"; out.id = "e-draw";
      button.parentNode.insertBefore(out, button.nextSibling);
      button.setAttribute("aria-describedby", "e-draw");
    }
    out.textContent = text; out.hidden = !text;
  }
  function draw() {
    var body = new FormData(), lot = form.elements.lot_size;
    body.append("csrf", csrf()); body.append("standard", form.dataset.standard); body.append("lot_size", lot.value);
    post("/inspect/plan.json", body).then(function (r) {
      return r.json().then(function (answer) {
        if (r.status !== 201) { drawSays(answer.message); lot.focus(); return; }
        drawSays("");
        form.elements.sampling_plan_id.value = answer.id;
        d.plan = answer; showPlan(answer); save(); progress();
      });
    }).catch(function () { drawSays(t("tDrawOffline")); });
  }
  function flush() {
    if (!d || !d.queued || sending) { return; }
    sending = true;
    say(t("tSending"));
    send(d).then(function (r) {
      sending = false;
      if (landed(r)) { d.landed = true; return drop(d.id).then(function () { window.location.assign(r.url); }); }
      if (later(r)) { say(t("tQueued"), true); return; }
      if (signedOut(r)) { say(t("tSignin"), true); return; }
      d.queued = false;
      return save(true).then(function () { return r.text(); }).then(function (html) {
        // the service's answer is the form again, each problem beside its field: shown in place
        var answer = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        var problem = answer && !answer.querySelector("#inspection") && answer.querySelector(".notice");
        if (!answer || problem) { say(problem ? problem.textContent : t("tRefused"), true); return; }
        document.querySelector("main").innerHTML = answer.innerHTML;
        start();
        var problems = document.getElementById("problems");
        if (problems) { problems.focus(); } else { say(t("tRefused")); }
      });
    }).catch(function () { sending = false; say(t("tQueued"), true); });
  }
  function start() {
    form = document.getElementById("inspection");
    if (!form) { return; }
    var id = form.dataset.draft;
    get(id).then(function (found) {
      d = found || { id: id, url: location.pathname + location.search, files: {}, fields: [] };
      if (found && !form.dataset.fresh) { restore(found.fields); }
      if (d.plan && String(d.plan.id) === form.elements.sampling_plan_id.value) { showPlan(d.plan); }
      showFiles(); progress(); sample();
      if (d.queued) { say(t("tQueued"), true); flush(); } else { save(true); }
      form.dataset.ready = "1";
      if (window.performance && performance.mark) { performance.mark("form-ready"); }
    });
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { save(); progress(); }, 300); });
    form.addEventListener("change", function (e) {
      if (e.target.type === "file") { addFiles(e.target); } else { save(); progress(); }
    });
    form.elements.lot_size.addEventListener("input", function () { clearTimeout(sampleTimer); sampleTimer = setTimeout(sample, 150); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (e.submitter && e.submitter.id === "draw") { draw(); return; }
      d.queued = true;
      save(true).then(flush);
    });
  }

  // --- the sample size as the lot size is typed -----------------------------------------------
  var sampleTimer = null;
  function sample() {
    var lot = form.elements.lot_size, out = document.getElementById("sample"), size = parseInt(lot.value, 10);
    if (!(size >= 1)) { return; }
    fetch("/inspect/sample.json?standard=" + encodeURIComponent(form.dataset.standard) + "&lot=" + size, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (plan) {
        if (!plan || String(plan.lot_size) !== String(parseInt(lot.value, 10))) { return; }
        out.textContent = out.dataset.template.replace("{n}", plan.pieces_to_inspect)
          .replace("{major}", plan.major.accept).replace("{minor}", plan.minor.accept);
      }).catch(function () { /* offline: the form still works */ });
  }

  start();
  if (form) {
    window.addEventListener("online", flush);
    window.addEventListener("pagehide", function () { if (d && form.dataset.ready) { save(true); } });
    setInterval(flush, 20000);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/inspect/sw.js", { scope: "/inspect/" }).catch(function () {});
      if (window.caches && location.pathname === "/inspect/criteria") {  // this page, for a reload with no network (the worker keeps it fresh after)
        caches.open(CACHE).then(function (c) {
          return c.match(location.href, { ignoreVary: true }).then(function (hit) {
            return hit || c.addAll([location.href, "/static/site.css", "/static/inspect.js"]);
          });
        }).catch(function () {});
      }
    }
  }
})();
