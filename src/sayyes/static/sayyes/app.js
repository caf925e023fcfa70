// sayyes page behaviour. Pages work without this file; it adds drag and drop,
// charts and small conveniences on top. No inline scripts (the CSP forbids them).
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function updateCounts(from, to) {
    [[from, -1], [to, 1]].forEach(function (pair) {
      document.querySelectorAll('[data-count-for="' + pair[0] + '"]').forEach(function (el) {
        el.textContent = String(parseInt(el.textContent, 10) + pair[1]);
      });
    });
  }

  // Say something to screen readers through the polite live region that base.html puts on
  // every page before any content arrives (a region added with its content isn't read).
  function announce(text) {
    var region = document.getElementById("live-status");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // Move the keyboard focus to an element, making it focusable by script if it isn't.
  function focusOn(el) {
    if (!el) return;
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus({ preventScroll: false });
  }

  // The menu folds behind its button on a phone (CSS); the button says whether it is open.
  function initMenu() {
    var button = document.querySelector(".menu-toggle");
    if (!button) return;
    var bar = button.closest(".topbar");
    button.hidden = false;
    function setOpen(open) {
      bar.classList.toggle("menu-open", open);
      button.setAttribute("aria-expanded", String(open));
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (evt) {
      if (evt.key === "Escape" && bar.classList.contains("menu-open")) {
        setOpen(false);
        button.focus();
      }
    });
  }

  // A new account: propose the browser's time zone when it isn't the account's.
  function offerTimezone() {
    var box = document.getElementById("timezone-offer");
    if (!box || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === box.dataset.current) return;
    box.querySelector("input[name=browser_timezone]").value = zone;
    box.querySelectorAll("[data-browser-zone]").forEach(function (el) { el.textContent = zone; });
    box.hidden = false;
  }

  // A long select (the time zones) gets a search box that narrows its options.
  function initSearchableSelects() {
    document.querySelectorAll("select[data-search]").forEach(function (select) {
      var search = document.createElement("input");
      search.type = "search";
      search.className = "select-search";
      search.placeholder = select.dataset.search;
      search.setAttribute("aria-label", select.dataset.search);
      search.setAttribute("aria-controls", select.id);
      select.parentNode.insertBefore(search, select);
      search.addEventListener("input", function () {
        var words = search.value.toLowerCase().replace(/_/g, " ").split(/\s+/).filter(Boolean);
        var first = null;
        select.querySelectorAll("option").forEach(function (option) {
          var text = (option.value + " " + option.textContent).toLowerCase().replace(/_/g, " ");
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          option.hidden = !match;
          if (match && !first) first = option;
        });
        select.querySelectorAll("optgroup").forEach(function (group) {
          group.hidden = !group.querySelector("option:not([hidden])");
        });
        if (first && words.length) select.value = first.value;
      });
    });
  }

  // An offer's opportunity proposes its salary's currency, unless one was typed.
  function initOfferCurrency() {
    var select = document.querySelector("select[data-currencies]");
    var currency = select && select.form.querySelector("input[name=currency]");
    if (!currency) return;
    var currencies = JSON.parse(select.dataset.currencies);
    var proposed = currency.value;
    select.addEventListener("change", function () {
      var wanted = currencies[select.value];
      if (wanted && currency.value === proposed) currency.value = proposed = wanted;
    });
  }

  // Tables with a header row become stacked cards on a phone (CSS): each cell is labelled
  // with its column's header, so a new page's tables do it too without asking.
  function labelTableCells(root) {
    (root || document).querySelectorAll("main table").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var labels = [];
      Array.prototype.forEach.call(head.cells, function (cell) {
        for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(cell.textContent.trim());
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var at = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (labels[at] && cell.tagName === "TD") cell.dataset.label = labels[at];
            at += cell.colSpan || 1;
          });
        });
      });
      table.classList.add("stacked");
    });
  }

  // The board on a phone: one column at a time, chosen with tabs that show the counts.
  function showColumn(status, focusTab) {
    var tabs = document.querySelectorAll(".board-tabs [role=tab]");
    if (!tabs.length) return;
    tabs.forEach(function (tab) {
      var chosen = tab.dataset.status === status;
      tab.setAttribute("aria-selected", String(chosen));
      tab.tabIndex = chosen ? 0 : -1;
      if (chosen && focusTab) tab.focus();
    });
    document.querySelectorAll("#board .column").forEach(function (column) {
      column.classList.toggle("current", column.dataset.status === status);
    });
  }

  function initBoardTabs() {
    var bar = document.querySelector(".board-tabs");
    if (!bar) return;
    var tabs = Array.prototype.slice.call(bar.querySelectorAll("[role=tab]"));
    var first = tabs.filter(function (tab) {
      return parseInt(tab.querySelector("[data-count-for]").textContent, 10) > 0;
    })[0] || tabs[0];
    showColumn(first.dataset.status, false);
    bar.addEventListener("click", function (evt) {
      var tab = evt.target.closest("[role=tab]");
      if (tab) showColumn(tab.dataset.status, true);
    });
    bar.addEventListener("keydown", function (evt) {
      var at = tabs.indexOf(document.activeElement);
      if (at < 0) return;
      var to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[evt.key];
      if (to === undefined) return;
      evt.preventDefault();
      showColumn(tabs[(to + tabs.length) % tabs.length].dataset.status, true);
    });
  }

  function initBoard() {
    var board = document.getElementById("board");
    if (!board || typeof Sortable === "undefined") return;
    document.documentElement.classList.add("js-board");
    board.querySelectorAll(".cards").forEach(function (list) {
      Sortable.create(list, {
        group: "board",
        animation: 150,
        filter: "select, button, a",
        preventOnFilter: false,
        ghostClass: "dragging",
        onEnd: function (evt) {
          var from = evt.from.dataset.status;
          var to = evt.to.dataset.status;
          if (from === to) return;
          var card = evt.item;
          var body = new URLSearchParams({ status: to });
          card.classList.add("saving");
          fetch(card.dataset.statusUrl, {
            method: "POST",
            headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
            body: body,
            credentials: "same-origin",
          }).then(function (response) {
            if (!response.ok) throw new Error("status " + response.status);
            return response.text();
          }).then(function (html) {
            var id = card.id;
            card.outerHTML = html;
            var moved = document.getElementById(id);
            if (window.htmx) htmx.process(moved);
            updateCounts(from, to);
            announce(moved.dataset.announce);
          }).catch(function () {
            // Put the card back where it was and say so.
            evt.from.insertBefore(card, evt.from.children[evt.oldIndex] || null);
            card.classList.remove("saving");
            showMessage("The card could not be moved; check your connection and try again.");
          });
        },
      });
    });
  }

  // A status picked from a card's select (htmx swaps the card): move it to its column.
  function placeSwappedCards() {
    document.body.addEventListener("htmx:afterSwap", function (evt) {
      var id = evt.detail.target && evt.detail.target.id;
      var card = id ? document.getElementById(id) : null;
      if (!card || !card.classList.contains("opp-card")) return;
      var column = card.parentElement;
      var from = column && column.dataset.status;
      var to = card.dataset.status;
      if (!from || from === to) return;
      var target = document.querySelector('.cards[data-status="' + to + '"]');
      if (target) {
        target.insertBefore(card, target.firstChild);
        updateCounts(from, to);
        showColumn(to, false);
        focusOn(card);
      }
    });
  }

  // After an in-page update, the focus goes to the updated region (to its element marked
  // data-swap-focus, else its first heading, else the region) unless the user is busy
  // elsewhere (typing in a search box, say); its data-announce text is read out.
  function focusAfterSwaps() {
    document.body.addEventListener("htmx:afterSwap", function (evt) {
      var old = evt.detail.target;
      var region = old && old.isConnected ? old : (old && old.id && document.getElementById(old.id));
      if (!region) return;
      var said = region.matches("[data-announce]") ? region : region.querySelector("[data-announce]");
      if (said) announce(said.dataset.announce);
      if (region.matches("[data-keep-focus]")) return;  // a poll that is still waiting
      var active = document.activeElement;
      var idle = !active || active === document.body || !active.isConnected || region.contains(active);
      // A form just submitted: the user waits for its answer, even if the browser hasn't
      // yet moved the focus off the button htmx disabled during the request.
      var config = evt.detail.requestConfig;
      var submitted = config && config.triggeringEvent && config.triggeringEvent.type === "submit" &&
        config.elt && config.elt.contains(active);
      if (!idle && !submitted) return;
      var mark = region.matches("[data-swap-focus]") ? region : region.querySelector("[data-swap-focus]");
      focusOn(mark || region.querySelector("h1, h2, h3") || region);
    });
  }

  // htmx leaves the page alone on a 4xx/5xx answer; say what went wrong instead.
  function showHtmxErrors() {
    // A whole page is never put inside a fragment: the server answers htmx with partials,
    // and should one answer with a page anyway, the page stays as it was and says so.
    document.body.addEventListener("htmx:beforeSwap", function (evt) {
      var text = evt.detail.xhr.responseText || "";
      if (evt.detail.shouldSwap && /^\s*<!doctype html/i.test(text) && !evt.detail.boosted &&
          evt.detail.target !== document.body) {
        evt.detail.shouldSwap = false;
        showMessage("That didn't work (error " + evt.detail.xhr.status + "). Reload the page and try again.");
      }
    });
    document.body.addEventListener("htmx:responseError", function (evt) {
      var xhr = evt.detail.xhr;
      var text = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0 ||
        (xhr.responseText && xhr.responseText.length < 300 && xhr.responseText.indexOf("<") === -1)
        ? xhr.responseText : "";
      showMessage(text || "That didn't work (error " + xhr.status + "). Reload the page and try again.");
    });
    document.body.addEventListener("htmx:sendError", function () {
      showMessage("sayyes could not be reached. Is it still running?");
    });
  }

  function showMessage(text) {
    var box = document.querySelector(".messages");  // in every page, empty, from the start
    var p = document.createElement("p");
    p.className = "message error";
    p.textContent = text;
    box.appendChild(p);
  }

  function initFunnel() {
    var canvas = document.getElementById("funnel-chart");
    var data = document.getElementById("funnel-data");
    if (!canvas || !data || typeof Chart === "undefined") return;
    var funnel = JSON.parse(data.textContent);
    canvas.closest(".card").classList.add("has-chart");
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: funnel.labels,
        datasets: [{
          label: "Opportunities",
          data: funnel.values,
          backgroundColor: ["#5eead4", "#2dd4bf", "#14b8a6", "#0f766e"],
          borderRadius: 6,
        }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function initCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.querySelector(button.dataset.copy);
        if (!target || !navigator.clipboard) return;
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          button.textContent = "Copied";
        });
      });
    });
  }

  // A visible timer on practice questions.
  function initTimers() {
    document.querySelectorAll("[data-timer]").forEach(function (el) {
      var start = Date.now();
      setInterval(function () {
        var s = Math.floor((Date.now() - start) / 1000);
        el.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
        el.classList.toggle("over", s > 120);
      }, 1000);
    });
  }

  function colourScores(root) {
    (root || document).querySelectorAll("[data-score]").forEach(function (el) {
      var v = parseInt(el.dataset.score, 10);
      el.classList.toggle("score-low", v < 50);
      el.classList.toggle("score-mid", v >= 50 && v < 75);
    });
  }

  function initScoreChart() {
    var canvas = document.getElementById("score-chart");
    var data = document.getElementById("score-data");
    if (!canvas || !data || typeof Chart === "undefined") return;
    var history = JSON.parse(data.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: history.map(function (h) { return new Date(h.at).toLocaleDateString(); }),
        datasets: [{ label: "Score", data: history.map(function (h) { return h.score; }),
          borderColor: "#0f766e", backgroundColor: "#ccfbf1", fill: true, tension: 0.25 }],
      },
      options: { animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { min: 0, max: 100 } } },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("js");
    initMenu();
    offerTimezone();
    initSearchableSelects();
    initOfferCurrency();
    labelTableCells();
    initBoardTabs();
    initBoard();
    placeSwappedCards();
    focusAfterSwaps();
    showHtmxErrors();
    initFunnel();
    initCopy();
    initTimers();
    colourScores();
    initScoreChart();
    document.body.addEventListener("htmx:afterSwap", function (evt) {
      colourScores(evt.detail.target);
      labelTableCells();
    });
  });
})();
