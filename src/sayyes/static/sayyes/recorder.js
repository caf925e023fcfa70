// Voice answers on the practice page: record with MediaRecorder (a live timer and level meter),
// stop, record again, upload with progress, then let htmx poll the feedback slot until the
// transcript and feedback are ready. The page works without this file (answers can be typed).
// While the user speaks, the recording is sent every few seconds ("live"), so the server can
// transcribe it piece by piece and little is left to do after Stop; if that fails, the whole
// recording is uploaded at the end instead.
(function () {
  "use strict";

  var MAX_SECONDS = 600;
  var SEND_EVERY_MS = 8000;
  var TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus"];

  function pickType() {
    if (typeof MediaRecorder === "undefined" || !MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    }
    return "";
  }

  function extension(type) {
    if (type.indexOf("mp4") !== -1) return "m4a";
    if (type.indexOf("ogg") !== -1) return "ogg";
    return "webm";
  }

  function clock(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function firstError(xhr) {
    try {
      var detail = JSON.parse(xhr.responseText).detail;
      if (Array.isArray(detail) && detail.length) return detail[0].msg;
      if (typeof detail === "string") return detail;
    } catch (e) {
      /* not JSON */
    }
    return "The upload failed (" + xhr.status + "). Try again.";
  }

  function initRecorder(root) {
    var q = function (sel) { return root.querySelector(sel); };
    var startBtn = q("[data-rec-start]");
    var stopBtn = q("[data-rec-stop]");
    var sendBtn = q("[data-rec-send]");
    var againBtn = q("[data-rec-again]");
    var time = q("[data-rec-time]");
    var level = q("[data-rec-level]");
    var progress = q("[data-rec-progress]");
    var status = q("[data-rec-status]");
    var csrf = q("input[name=csrfmiddlewaretoken]");
    var stream = null, recorder = null, chunks = [], blob = null, type = "";
    var started = 0, ticker = null, audioCtx = null, raf = null;
    var pending = [], liveId = null, liveFailed = false, queue = Promise.resolve(), sender = null;
    var take = 0;
    // A mock interview's turn: the recording goes whole to the mock's answer address, then
    // the page reloads and waits for the transcript (data-whole="true").
    var wholeOnly = root.dataset.whole === "true";

    function post(url, form, onprogress) {
      return new Promise(function (resolve) {
        var xhr = new XMLHttpRequest();
        xhr.open("POST", url);
        xhr.setRequestHeader("X-CSRFToken", csrf ? csrf.value : "");
        if (onprogress) xhr.upload.onprogress = onprogress;
        xhr.onload = function () { resolve(xhr); };
        xhr.onerror = function () { resolve(xhr); };
        xhr.send(form);
      });
    }

    function chunksUrl() { return root.dataset.uploadUrl + "/" + liveId + "/chunks"; }

    // Send what was recorded since the last send; the first send starts a live answer.
    function sendPending(final, onprogress) {
      if (liveFailed) return Promise.resolve(null);
      var parts = pending.splice(0);
      if (!liveId) {
        if (!parts.length || final) return Promise.resolve(null);
        var first = new FormData();
        first.append("question_id", root.dataset.question);
        first.append("session_id", root.dataset.session);
        first.append("live", "true");
        first.append("audio", new Blob(parts, { type: type.split(";")[0] }), "answer." + extension(type));
        var thisTake = take;
        return post(root.dataset.uploadUrl, first).then(function (xhr) {
          if (xhr.status !== 202) {
            liveFailed = true;
          } else if (thisTake !== take) {
            liveId = JSON.parse(xhr.responseText).id;  // a take already thrown away
            forgetLive();
          } else {
            liveId = JSON.parse(xhr.responseText).id;
          }
          return null;
        });
      }
      if (!parts.length && !final) return Promise.resolve(null);
      var form = new FormData();
      if (parts.length) form.append("audio", new Blob(parts, { type: type.split(";")[0] }), "chunk");
      form.append("final", final ? "true" : "false");
      return post(chunksUrl(), form, onprogress).then(function (xhr) {
        if (xhr.status !== 202) liveFailed = true;
        return xhr;
      });
    }

    function flush(final, onprogress) {
      var next = queue.then(function () { return sendPending(final, onprogress); });
      queue = next.then(function () {}, function () {});
      return next;
    }

    function forgetLive() {
      if (liveId) {
        var xhr = new XMLHttpRequest();
        xhr.open("DELETE", root.dataset.uploadUrl + "/" + liveId);
        xhr.setRequestHeader("X-CSRFToken", csrf ? csrf.value : "");
        xhr.send();
      }
      liveId = null;
      liveFailed = false;
      pending = [];
    }

    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof MediaRecorder === "undefined") {
      startBtn.disabled = true;
      status.textContent = "This browser can't record audio here. Type your answer instead.";
      return;
    }

    function show(el, on) { el.hidden = !on; }

    function say(text) { status.textContent = text; }

    function stopMeter() {
      if (raf) cancelAnimationFrame(raf);
      raf = null;
      if (audioCtx) audioCtx.close();
      audioCtx = null;
      level.value = 0;
    }

    function startMeter() {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      audioCtx = new Ctx();
      var analyser = audioCtx.createAnalyser();
      analyser.fftSize = 1024;
      audioCtx.createMediaStreamSource(stream).connect(analyser);
      var data = new Float32Array(analyser.fftSize);
      (function draw() {
        analyser.getFloatTimeDomainData(data);
        var sum = 0;
        for (var i = 0; i < data.length; i++) sum += data[i] * data[i];
        level.value = Math.min(1, Math.sqrt(sum / data.length) * 4);
        raf = requestAnimationFrame(draw);
      })();
    }

    function release() {
      clearInterval(ticker);
      stopMeter();
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
    }

    function start() {
      say("Asking for the microphone…");
      startBtn.disabled = true;
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (s) {
        stream = s;
        type = pickType();
        recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
        type = recorder.mimeType || type || "audio/webm";
        chunks = [];
        blob = null;
        recorder.ondataavailable = function (e) {
          if (e.data && e.data.size) {
            chunks.push(e.data);
            pending.push(e.data);
          }
        };
        recorder.onstop = function () {
          clearInterval(sender);
          blob = new Blob(chunks, { type: type.split(";")[0] });
          release();
          show(stopBtn, false);
          show(sendBtn, true);
          show(againBtn, true);
          say("Recorded " + time.textContent + ". Send it for feedback, or record again.");
        };
        recorder.start(1000);
        if (!wholeOnly) sender = setInterval(function () { flush(false); }, SEND_EVERY_MS);
        started = Date.now();
        time.textContent = "0:00";
        ticker = setInterval(function () {
          var s = (Date.now() - started) / 1000;
          time.textContent = clock(s);
          if (s >= MAX_SECONDS) stop();
        }, 250);
        startMeter();
        show(startBtn, false);
        show(stopBtn, true);
        show(sendBtn, false);
        show(againBtn, false);
        root.classList.add("recording");
        say("Recording… answer as you would in the interview, then press Stop.");
      }).catch(function (err) {
        startBtn.disabled = false;
        say(err && err.name === "NotAllowedError"
          ? "The browser did not allow the microphone. Allow it in the address bar, or type your answer."
          : "No microphone could be used (" + (err && err.name) + "). Type your answer instead.");
      });
    }

    function stop() {
      root.classList.remove("recording");
      if (recorder && recorder.state !== "inactive") recorder.stop();
    }

    function again() {
      take += 1;
      forgetLive();
      blob = null;
      show(sendBtn, false);
      show(againBtn, false);
      show(startBtn, true);
      startBtn.disabled = false;
      start();
    }

    function uploaded(id) {
      progress.hidden = true;
      sendBtn.disabled = false;
      show(sendBtn, false);
      show(startBtn, true);
      startBtn.disabled = false;
      startBtn.textContent = "● Record another take";
      liveId = null;
      pending = [];
      say("Uploaded. Transcribing on this machine…");
      htmx.ajax("GET", root.dataset.pollUrl + "?answer=" + id, {
        target: "#feedback-slot",
        swap: "innerHTML",
      });
    }

    function failed(xhr) {
      progress.hidden = true;
      sendBtn.disabled = false;
      say(xhr.status ? firstError(xhr) : "The upload failed: is sayyes still running? Try again.");
    }

    function onprogress(e) {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    }

    // The whole recording in one request (short takes, or when live sending failed).
    function sendWhole() {
      var form = new FormData();
      if (!wholeOnly) {
        form.append("question_id", root.dataset.question);
        form.append("session_id", root.dataset.session);
      }
      form.append("audio", blob, "answer." + extension(type));
      return post(root.dataset.uploadUrl, form, onprogress).then(function (xhr) {
        if (xhr.status === 202 && wholeOnly) window.location.assign(root.dataset.pollUrl);
        else if (xhr.status === 202) uploaded(JSON.parse(xhr.responseText).id);
        else failed(xhr);
      });
    }

    function send() {
      if (!blob || !blob.size) {
        say("The recording is empty. Record again.");
        return;
      }
      progress.value = 0;
      progress.hidden = false;
      sendBtn.disabled = true;
      say("Uploading…");
      if (wholeOnly) {
        sendWhole();
        return;
      }
      flush(true, onprogress).then(function (xhr) {
        if (liveId && !liveFailed && xhr && xhr.status === 202) {
          uploaded(liveId);
          return null;
        }
        forgetLive();
        return sendWhole();
      });
    }

    startBtn.addEventListener("click", start);
    stopBtn.addEventListener("click", stop);
    againBtn.addEventListener("click", again);
    sendBtn.addEventListener("click", send);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-recorder]").forEach(initRecorder);
  });
})();
