// Mock interviews: the interviewer reads each turn aloud with the browser's speech synthesis,
// using only a voice of this computer (localService): a network voice would send the text
// away, so without a local voice nothing is spoken and the text (always shown) is enough.
// Also the report's print button. The pages work without this file.
(function () {
  "use strict";

  var OFF_KEY = "sayyes-mock-voice-off";

  function localVoice() {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices().filter(function (v) { return v.localService; });
    var english = voices.filter(function (v) { return /^en\b|^en-/i.test(v.lang || ""); });
    return english[0] || voices[0] || null;
  }

  function initSpeaker(box) {
    var said = document.querySelector("[data-say]");
    if (!said) return;
    var again = box.querySelector("[data-speak-again]");
    var off = box.querySelector("[data-speak-off]");
    var status = box.querySelector("[data-speak-status]");
    var stored = null;
    try { stored = window.localStorage.getItem(OFF_KEY); } catch (e) { /* private mode */ }
    off.checked = stored === "1";
    box.hidden = false;

    function speak() {
      if (!("speechSynthesis" in window)) {
        again.disabled = true;
        status.textContent = "This browser can't read aloud; the question is shown above.";
        document.body.dataset.spoken = "none";
        return;
      }
      var voice = localVoice();
      if (!voice) {
        again.disabled = true;
        status.textContent = "No voice on this computer: read the question above.";
        document.body.dataset.spoken = "none";
        return;
      }
      window.speechSynthesis.cancel();
      var utterance = new SpeechSynthesisUtterance(said.textContent.trim());
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = 0.95;
      window.speechSynthesis.speak(utterance);
      status.textContent = "Read aloud by " + voice.name + ", a voice of this computer.";
      document.body.dataset.spoken = voice.name;
    }

    function maybeSpeak() {
      if (!off.checked) speak();
      else document.body.dataset.spoken = "off";
    }

    again.addEventListener("click", speak);
    off.addEventListener("change", function () {
      try { window.localStorage.setItem(OFF_KEY, off.checked ? "1" : "0"); } catch (e) { /* ignore */ }
      if (off.checked && "speechSynthesis" in window) window.speechSynthesis.cancel();
    });
    // Voices may load after the page: wait for them a moment, then speak (or say why not).
    if ("speechSynthesis" in window && !window.speechSynthesis.getVoices().length) {
      var done = false;
      var go = function () { if (!done) { done = true; maybeSpeak(); } };
      window.speechSynthesis.addEventListener("voiceschanged", go);
      setTimeout(go, 1000);
    } else {
      maybeSpeak();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-speaker]").forEach(initSpeaker);
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
