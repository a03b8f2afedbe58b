// Checklist glue. The page's form (rendered from the KB) is the source of the answers; this script keeps
// them in localStorage, sends them to the worker (checklist.api on Pyodide) and draws what comes back.
// Scoring, ordering, validation and every sentence about the results come from Python: nothing here
// decides a risk or a rank, and the state file is written by the engine (by this script only when the
// engine could not start).
(() => {
  // Storage keys, under the site's own prefix (data-store on the app): two sites built from different KBs
  // on one origin keep their answers apart. Set when a checklist page starts.
  let STORE = "wa-ml:checklist:state";
  let MILESTONES = "wa-ml:checklist:milestones";
  const SCRIPT_BASE = document.currentScript.src;

  let app; // the current page's elements and worker state; rebuilt on each (instant) page load

  // --- small helpers -----------------------------------------------------------------------------------

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }
  const isRecord = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  const readJSON = (key, fallback) => {
    try {
      return JSON.parse(localStorage.getItem(key)) ?? fallback;
    } catch {
      return fallback;
    }
  };
  const readList = (key) => {
    const value = readJSON(key, []);
    return Array.isArray(value) ? value.filter(isRecord) : [];
  };
  const writeJSON = (key, value) => {
    try {
      localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch {
      return false; // storage full or disabled: the caller tells the user
    }
  };
  const splitList = (text) => text.split(",").map((item) => item.trim()).filter(Boolean);
  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = el("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  function fileStem() {
    const name = $("#workload-name").value.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-");
    return name.replace(/^-+|-+$/g, "") || "workload";
  }
  function say(kind, heading, lines = []) {
    const box = app.messages;
    box.replaceChildren();
    if (!heading) return;
    box.className = `kb-messages admonition ${kind}`;
    box.append(el("p", { class: "admonition-title", text: heading[0].toUpperCase() + heading.slice(1) }));
    if (lines.length) box.append(el("ul", {}, ...lines.map((line) => el("li", { text: line }))));
  }

  // --- the form <-> the state file ------------------------------------------------------------------------

  // The answers as the form holds them: every question, empty or not. The engine decides what a state
  // file keeps (checklist.state.State.to_dict), so this has no rule of its own.
  function readForm() {
    const workload = {
      name: $("#workload-name").value,
      description: $("#workload-description").value,
      industry: $("#workload-industry").value,
      regions: splitList($("#workload-regions").value),
      owner: $("#workload-owner").value,
      stakeholders: splitList($("#workload-stakeholders").value),
      environment: ($("input[name=environment]:checked") || { value: "production" }).value,
      pillar_priorities: app.priorities.slice(),
    };
    const scope = {};
    for (const radio of $$("input[data-scope]:checked")) scope[radio.dataset.scope] = radio.value;
    const answers = {};
    for (const box of $$("fieldset[data-question]")) {
      const selected = $$("input[data-choice]:checked, input[data-none]:checked", box).map((i) => i.value);
      const notApplicable = $("input[data-na]", box).checked;
      const notes = $("textarea[data-notes]", box).value;
      answers[box.dataset.question] = { selected, not_applicable: notApplicable, notes };
    }
    return { version: stateVersion(), workload, scope, answers, decisions: app.decisions, disagreements: app.disagreements };
  }

  function fillForm(state) {
    const workload = state.workload || {};
    $("#workload-name").value = workload.name || "";
    $("#workload-description").value = workload.description || "";
    $("#workload-industry").value = workload.industry || "";
    $("#workload-regions").value = (workload.regions || []).join(", ");
    $("#workload-owner").value = workload.owner || "";
    $("#workload-stakeholders").value = (workload.stakeholders || []).join(", ");
    for (const radio of $$("input[name=environment]")) {
      radio.checked = radio.value === (workload.environment || "production");
    }
    const scope = state.scope || {};
    for (const group of new Set($$("input[data-scope]").map((radio) => radio.dataset.scope))) {
      const radios = $$(`input[data-scope="${group}"]`);
      const chosen = radios.find((radio) => radio.value === scope[group]) || radios[0];
      for (const radio of radios) radio.checked = radio === chosen;
    }
    app.priorities = (workload.pillar_priorities || []).slice();
    app.decisions = { ...(state.decisions || {}) };
    app.disagreements = (state.disagreements || []).slice();
    for (const box of $$("input[name=pillar_priorities]")) box.checked = app.priorities.includes(box.value);
    const answers = state.answers || {};
    for (const box of $$("fieldset[data-question]")) {
      const answer = answers[box.dataset.question] || {};
      for (const input of $$("input[data-choice], input[data-none]", box)) {
        input.checked = (answer.selected || []).includes(input.value);
      }
      $("input[data-na]", box).checked = Boolean(answer.not_applicable);
      $("textarea[data-notes]", box).value = answer.notes || "";
      box.classList.toggle("is-not-applicable", Boolean(answer.not_applicable));
    }
  }

  // --- the saved state, shared by every tab of the checklist ----------------------------------------------

  // Tabs on one origin share the saved state, so a save never writes the form over it whole. The state is
  // cut into units: each answer, each workload field, each scope answer, each decision, and every other key
  // whole. app.base holds the units as this tab last read or wrote them: a unit that differs from it in the
  // form is this tab's change; any other unit is taken from what is saved at the time. Another tab's save
  // comes in as a storage event, and goes into the form except where this tab has a change not yet saved.
  // A saved state that cannot be read is never written over, except by "Clear answers".
  const NESTED = new Set(["answers", "workload", "scope", "decisions"]);
  const emptyState = () => ({ version: stateVersion(), workload: {}, scope: {}, answers: {} });

  function units(state) {
    // unit name ("answers.<question id>", "version", …) -> the unit's value as JSON
    const out = new Map();
    if (!isRecord(state)) return out;
    for (const [key, value] of Object.entries(state)) {
      if (NESTED.has(key) && isRecord(value)) {
        for (const [id, inner] of Object.entries(value)) out.set(`${key}.${id}`, JSON.stringify(inner));
      } else out.set(key, JSON.stringify(value));
    }
    return out;
  }

  function fromUnits(map) {
    const state = {};
    for (const [unit, json] of map) {
      if (json === undefined) continue; // removed
      const dot = unit.indexOf(".");
      const top = dot < 0 ? unit : unit.slice(0, dot);
      if (dot < 0 && !(NESTED.has(top) && isRecord(state[top]))) state[top] = JSON.parse(json);
      else if (dot >= 0) {
        if (!isRecord(state[top])) state[top] = {};
        state[top][unit.slice(dot + 1)] = JSON.parse(json);
      }
    }
    return state;
  }

  const unitNames = (...maps) => new Set(maps.flatMap((map) => [...map.keys()]));

  function readStored() {
    // What this browser holds: { text, state } (both null when nothing is saved), or an error:
    // "unavailable" (storage turned off) or "unreadable" (something is saved that is not a state).
    let text;
    try {
      text = localStorage.getItem(STORE);
    } catch {
      return { error: "unavailable" };
    }
    if (text === null) return { text, state: null };
    try {
      const state = JSON.parse(text);
      if (isRecord(state)) return { text, state };
    } catch {
      // not JSON: reported below
    }
    return { text, error: "unreadable" };
  }

  function storageWorks() {
    // Reading is not enough: a full storage reads but refuses every write.
    try {
      const key = `${STORE}:probe`;
      localStorage.setItem(key, "1");
      localStorage.removeItem(key);
      return true;
    } catch {
      return false;
    }
  }

  function storageFailed(kind) {
    // Said once per page: the answers stay in the form, and the state file keeps them.
    if (app.storageWarned) return false;
    app.storageWarned = true;
    app.meanwhile.hidden = true; // it says the answers are kept in this browser
    say("warning", kind === "unreadable"
      ? "The answers saved in this browser cannot be read, so they are left as they are and nothing is saved over them."
      : "This browser is not saving your answers: its storage is full or turned off.");
    app.messages.append(el("p", {}, "Your answers are kept in this page only: save the state file to keep them. ",
      el("button", { type: "button", class: "md-button", "data-action": "download-state", text: "Save state file" })));
    return false;
  }

  const answered = (json) => {
    const answer = json === undefined ? {} : JSON.parse(json);
    return Boolean(answer?.selected?.length || answer?.not_applicable || String(answer?.notes || "").trim());
  };

  function adopt(state, names, before) {
    // Another tab's units into the form. A question this tab had answered otherwise says it changed there.
    fillForm(state);
    const now = units(readForm());
    for (const name of names) {
      app.own.delete(name); // the other tab's change is the later one
      if (!name.startsWith("answers.") || now.get(name) === before.get(name)) continue;
      const box = $(`fieldset[data-question="${CSS.escape(name.slice("answers.".length))}"]`);
      const note = box && $("[data-changed-elsewhere]", box);
      if (note && note.dataset.was === now.get(name)) unmark(box); // back to this tab's answer
      else if (box && !note && answered(before.get(name))) {
        $("legend", box).after(el("p", { class: "kb-changed-elsewhere", role: "status", "data-changed-elsewhere": "",
          "data-was": before.get(name), text: "Changed in another tab." }));
      }
    }
  }

  function unmark(root) {
    // This tab's own edit: the note that another tab changed the question has served.
    for (const note of $$("[data-changed-elsewhere]", root)) note.remove();
  }

  function save({ force = false } = {}) {
    // This tab's changes, merged into what is saved now. Returns whether the answers are in storage.
    const stored = readStored();
    if (stored.error === "unavailable" || (stored.error && !force)) return storageFailed(stored.error);
    let form = readForm();
    let mine = units(form);
    const theirs = stored.error ? new Map() : units(stored.state);
    const merged = new Map();
    const foreign = [];
    for (const name of unitNames(mine, app.base, theirs)) {
      if (mine.get(name) !== app.base.get(name) || !stored.state) {
        merged.set(name, mine.get(name));
        if (mine.get(name) !== app.base.get(name)) app.own.add(name);
      } else {
        merged.set(name, theirs.get(name));
        if (theirs.get(name) !== mine.get(name)) foreign.push(name);
      }
    }
    if (foreign.length) {
      adopt(fromUnits(merged), foreign, mine);
      form = readForm(); // the form reads back what it shows: the merge, as the next save compares it
      mine = units(form);
    }
    const text = JSON.stringify(form);
    try {
      localStorage.setItem(STORE, text);
    } catch {
      return storageFailed("full"); // app.base stays: this tab's changes are still its own, for a later save
    }
    app.base = mine;
    app.written = text;
    return true;
  }

  function onStorage(event) {
    // Another tab saved: its units go into the form, except those this tab has changed and not saved.
    if (!app || event.key !== STORE || event.newValue === null) return;
    let state;
    try {
      state = JSON.parse(event.newValue);
    } catch {
      return;
    }
    const stored = readStored();
    if (!isRecord(state) || stored.error) return;
    const theirs = units(state);
    const mine = units(readForm());
    if (stored.text !== event.newValue) {
      // Saved over since. By another tab: that save's own event follows. By this tab: that save was merged
      // from a read that did not have this one yet (each tab's storage catches up a moment later), so it
      // dropped this one's changes. Take them back, except where this tab changed the unit itself, and save.
      if (stored.text !== app.written) return;
      const missed = [...unitNames(theirs, mine)].filter((name) =>
        theirs.get(name) !== mine.get(name) && !app.own.has(name) && mine.get(name) === app.base.get(name));
      if (!missed.length) return;
      const merged = new Map(mine);
      for (const name of missed) merged.set(name, theirs.get(name));
      adopt(fromUnits(merged), missed, mine);
      save(); // the taken units differ from app.base, so this save writes them
      for (const name of missed) app.own.delete(name);
    } else {
      const changed = [...unitNames(theirs, mine)].filter((name) =>
        theirs.get(name) !== mine.get(name) && mine.get(name) === app.base.get(name));
      app.base = theirs;
      if (!changed.length) return;
      const taken = new Set(changed);
      const merged = new Map(theirs); // in their order: the form then reads back as they saved it
      for (const name of unitNames(theirs, mine)) merged.set(name, (taken.has(name) ? theirs : mine).get(name));
      adopt(fromUnits(merged), changed, mine);
    }
    countBeforeEngine();
    refresh();
  }

  // --- the worker ---------------------------------------------------------------------------------------

  function adoptWorker() {
    // checklist-boot.js started the worker as the page was parsed; start one here only if it could not.
    const boot = window.kbChecklistBoot;
    if (!boot || boot.root !== app.root) {
      const script = el("script", { src: new URL("checklist-boot.js", SCRIPT_BASE).href });
      script.onload = () => adoptWorker();
      script.onerror = () => engineFailed("checklist-boot.js did not load");
      if (!app.bootRequested) {
        app.bootRequested = true;
        document.head.append(script);
      }
      return;
    }
    if (boot.error) {
      engineFailed(boot.error);
      return;
    }
    const worker = boot.worker;
    app.worker = worker;
    worker.onmessage = ({ data }) => {
      if (data.type === "progress") showDownload(data);
      else if (data.type === "ready") {
        app.phases = data.phases;
        engineReady();
      } else if (data.type === "failed") engineFailed(data.message);
      else if (data.type === "fatal") restartEngine("the engine stopped");
      else if (data.type === "reply") {
        const settle = app.pending.get(data.id);
        app.pending.delete(data.id);
        if (settle) settle(data.reply);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (app.ready) restartEngine(event.message || "the worker stopped");
      else engineFailed(event.message || "the worker stopped");
    };
    for (const event of boot.early.splice(0)) worker.onmessage(event);
  }

  // The engine stopped after it had started (Python's fatal error, or the worker died): what was asked of
  // it fails with the engine's own sentence, a fresh worker starts once, and the answers (the form's) stay.
  // A second stop is the "could not load" state.
  function restartEngine(reason) {
    if (app.restarted || app.failed) {
      engineFailed(reason);
      return;
    }
    app.restarted = true;
    app.ready = false;
    app.root.classList.remove("is-ready");
    app.worker.terminate();
    for (const settle of app.pending.values()) {
      settle({ ok: false, restarted: true, problems: ["The assessment engine stopped on this request and was restarted."] });
    }
    app.pending.clear();
    for (const control of $$("[data-needs-engine]", document)) control.disabled = true;
    setStatus("Restarting the assessment engine…");
    const worker = new Worker(new URL(app.root.dataset.workerUrl, document.baseURI).href, { type: "module" });
    window.kbChecklistBoot = { root: app.root, path: location.pathname, worker, early: [], error: null };
    worker.onmessage = (event) => window.kbChecklistBoot.early.push(event);
    worker.postMessage({ type: "boot" });
    adoptWorker();
    say("note", "The assessment engine stopped and was started again. Your answers are kept.");
  }

  function ask(request) {
    return new Promise((resolve) => {
      const id = app.nextId++;
      app.pending.set(id, resolve);
      app.worker.postMessage({ id, request });
    });
  }

  function setStatus(text) {
    if (app.status.textContent !== text) app.status.textContent = text; // a live region: say changes only
  }

  const megabytes = (bytes) => (bytes / 1e6).toFixed(1);

  function showDownload({ loaded, total, unsized, active }) {
    // What the worker has fetched so far. The figures sit outside the live region, which only says the phase.
    if (app.ready || app.failed) return;
    if (active) {
      setStatus("Downloading the assessment engine…");
      app.download.textContent = unsized ? `${megabytes(loaded)} MB so far` : `${megabytes(loaded)} of ${megabytes(total)} MB`;
    } else {
      setStatus("Starting the assessment engine (Python, running in this browser)…");
      app.download.textContent = "";
    }
  }

  function engineLoaded() {
    app.download.hidden = true;
    app.meanwhile.hidden = true;
  }

  async function engineReady() {
    performance.mark("kb-checklist-ready", { detail: app.phases }); // read by `make bench`
    app.ready = true;
    app.root.classList.add("is-ready");
    engineLoaded();
    setStatus("Ready: answers are assessed in this browser; nothing is sent anywhere.");
    for (const control of $$("[data-needs-engine]", document)) control.disabled = false;
    refresh(); // the first answer first: it is what the visitor is waiting for
    await updateSaved();
    openSharedLink();
  }

  async function updateSaved() {
    // Answers saved by an older version of the checklist go through the engine once, which follows moved
    // and merged practices; the user is told what moved. A state it cannot read is left as it is.
    const { text } = readStored();
    if (!text) return;
    const reply = await ask({ op: "import", text });
    if (!reply.ok || !reply.warnings.length) return;
    fillForm(reply.state);
    save();
    refresh();
    say("note", "Your saved answers were brought up to date with this version of the checklist:", reply.warnings);
  }

  function engineFailed(message) {
    if (app.failed) return;
    app.failed = true;
    app.root.classList.add("is-failed");
    engineLoaded();
    app.status.textContent =
      "The assessment engine could not load, so risks and the plan cannot be computed here. " +
      "Your answers are kept in this browser, and you can still save them as a state file.";
    app.status.title = message;
    for (const control of $$("[data-needs-engine]", document)) control.disabled = true;
    for (const pending of app.pending?.values() || []) pending({ ok: false, problems: [message] });
  }

  // --- results ------------------------------------------------------------------------------------------

  async function refresh() {
    // One assess request at a time; changes made meanwhile are folded into one more request afterwards.
    const current = app;
    if (!current || !current.ready) return;
    if (current.inFlight) {
      current.dirty = true;
      return;
    }
    current.inFlight = true;
    const state = readForm();
    const reply = await ask({ op: "assess", state, today: today(), ...app.filter });
    current.inFlight = false;
    if (current !== app || reply.restarted) return; // the page changed, or the engine restarts and assesses
    if (reply.ok) {
      current.answered = reply.result.summary.answered;
      draw(reply.result, JSON.stringify(state));
    }
    else say("failure", "These answers cannot be assessed:", reply.problems);
    if (current.dirty) {
      current.dirty = false;
      refresh();
    }
  }

  function draw(result, assessedJSON) {
    if (!performance.getEntriesByName("kb-first-draw").length) performance.mark("kb-first-assess");
    const { summary } = result;
    app.progress.value = summary.answered;
    app.progress.max = summary.total;
    app.progressText.textContent = summary.text;
    const labels = result.risk_labels;
    app.unanswered = new Set(result.questions.filter((q) => q.risk === "unanswered").map((q) => q.id));
    app.badges ??= new Map($$("[data-risk-for]").map((badge) => [badge.dataset.riskFor, badge]));
    for (const question of result.questions) {
      const badge = app.badges.get(question.id);
      if (!badge) continue;
      if (badge.textContent !== labels[question.risk]) badge.textContent = labels[question.risk];
      badge.className = `kb-risk kb-risk--${question.risk}`;
      badge.closest("fieldset").classList.toggle("is-unanswered", question.risk === "unanswered");
    }
    app.nextButton.hidden = app.unanswered.size === 0;
    drawTocCounts(result.pillars);
    // The engine decides what the workload's scope leaves out; the page only hides it.
    const hiddenQuestions = new Set(result.scope.questions);
    const hiddenChoices = new Set(result.scope.choices);
    for (const box of $$("fieldset[data-question]")) box.hidden = hiddenQuestions.has(box.dataset.question);
    for (const item of $$("[data-choice-item]")) item.hidden = hiddenChoices.has(item.dataset.choiceItem);
    const scopeText = $("[data-scope-text]"); // absent where the KB asks no scope questions
    if (scopeText) scopeText.textContent = result.scope.text;
    $("[data-results-body]").hidden = false;
    app.root.closest("article")?.classList.add("kb-has-results"); // prints as the review record
    drawGroups($("[data-pillar-chart]"), "Pillar", result.pillars, labels, firstUnanswered(result, "pillar"));
    const focusChart = $("[data-focus-chart]"); // absent where the KB has no focus areas
    if (focusChart) drawGroups(focusChart, "Focus area", result.focus_areas, labels, firstUnanswered(result, "focus"));
    drawQuadrant(result);
    drawPlan(result);
    drawFilters(result.view);
    $("[data-plan-progress]").textContent = result.progress.text;
    drawAccepted(result.accepted);
    drawDisagreements(result.disagreements);
    drawPrintSummary(result);
    if (!performance.getEntriesByName("kb-first-draw").length) performance.mark("kb-first-draw"); // `make bench`
    // Tests and benchmarks wait for this; the detail says which answers the drawing shows.
    document.dispatchEvent(new CustomEvent("kb-checklist:assessed", { detail: assessedJSON }));
  }

  // The first unanswered question of each pillar (or focus area), in the engine's order.
  function firstUnanswered(result, key) {
    const first = {};
    for (const question of result.questions) {
      if (question.risk === "unanswered" && !(question[key] in first)) first[question[key]] = question;
    }
    return first;
  }

  function drawGroups(target, heading, groups, labels, unanswered) {
    const risks = Object.keys(labels);
    const share = "Share of questions";
    const head = el("tr", {}, el("th", { scope: "col", text: heading }),
      ...risks.map((risk) => el("th", { scope: "col", text: labels[risk] })),
      el("th", { scope: "col", text: share }));
    const rows = groups.map((pillar) => {
      const total = risks.reduce((sum, risk) => sum + pillar[risk], 0) || 1;
      const bar = el("div", { class: "kb-bar", "aria-hidden": "true" },
        ...risks.filter((risk) => pillar[risk]).map((risk) =>
          el("span", { class: `kb-bar__part kb-risk--${risk}`, style: `width:${(100 * pillar[risk]) / total}%`,
            title: `${labels[risk]}: ${pillar[risk]}` })));
      // data-label names each cell where a narrow screen stacks the row (site.css).
      const cell = (risk) => {
        const question = risk === "unanswered" && pillar[risk] ? unanswered[pillar.id] : undefined;
        const count = question
          ? el("a", { href: `#${question.id}`, title: question.title, "data-first-unanswered": "", text: String(pillar[risk]) })
          : String(pillar[risk]);
        return el("td", { "data-label": labels[risk], "data-risk": risk }, count);
      };
      return el("tr", { "data-group": pillar.id }, el("th", { scope: "row", text: pillar.name }),
        ...risks.map(cell), el("td", { "data-label": share, class: "kb-share-cell" }, bar));
    });
    target.replaceChildren(
      el("table", { class: "kb-pillar-table" }, el("thead", {}, head), el("tbody", {}, ...rows)));
  }

  const byRank = (result, rank) => result.recommendations[rank - 1]; // ranks run 1..n in list order
  const FOLDED = 5; // a bucket shows this many items until "Show all"

  function drawQuadrant(result) {
    const { matrix } = result;
    const head = el("tr", {}, el("th", { scope: "col", text: matrix.corner }),
      ...matrix.rows[0].cells.map((cell) => el("th", { scope: "col", text: cell.label })));
    const rows = matrix.rows.map((row) => el("tr", {}, el("th", { scope: "row", text: row.label }),
      ...row.cells.map((cell) => {
        const td = el("td", { class: `kb-quadrant--${row.impact}-${cell.effort}`, "data-impact": row.impact,
          "data-effort": cell.effort });
        if (!cell.items.length) {
          td.append(el("span", { class: "kb-quadrant__count", text: "–" }));
          return td;
        }
        // The cell's titles, folded: a click or Enter on its count shows them, each linking to the plan.
        td.append(el("details", { class: "kb-quadrant__items" },
          el("summary", { class: "kb-quadrant__count", text: String(cell.items.length) }),
          el("ol", {}, ...cell.items.map((item) => el("li", { value: String(item.rank) },
            el("a", { class: "kb-quadrant__item", href: `#plan-${item.rank}`, text: item.title }))))));
        return td;
      })));
    const table = el("table", { class: "kb-quadrant" },
      el("caption", { class: "kb-visually-hidden", text: matrix.caption }),
      el("thead", {}, head), el("tbody", {}, ...rows));
    $("[data-quadrant]").replaceChildren(table);
  }

  function drawPlan(result) {
    const plan = $("[data-plan]");
    if (result.plan_note) {
      plan.replaceChildren(el("p", { text: result.plan_note }));
      return;
    }
    const parts = [];
    for (const bucket of result.buckets.filter((b) => b.ranks.length)) {
      parts.push(el("h4", { text: bucket.heading }), el("p", { class: "kb-hint", text: bucket.description }));
      if (bucket.ranks.length > FOLDED) {
        const open = app.unfolded.has(bucket.id);
        const toggle = el("button", { type: "button", class: "kb-link-button", "data-unfold": bucket.id,
          "aria-expanded": String(open), text: open ? "Show the first few" : `Show all ${bucket.count}` });
        parts.push(el("p", { class: "kb-plan__fold" }, toggle));
      }
      parts.push(el("ol", { class: "kb-plan", start: String(bucket.ranks[0]) }, ...bucket.ranks.map((rank) => {
        const item = byRank(result, rank);
        const reference = el("a", { href: item.reference, rel: "noopener", target: "_blank", text: "Reference" });
        return el("li", { id: `plan-${rank}`, value: String(rank), "data-pillar": item.pillar, "data-choice": item.choice },
          el("strong", { text: item.title }), " ",
          el("span", { class: "kb-plan__meta", text: `${item.pillar_name} · impact ${item.impact} · effort ${item.effort === "unrated" ? "not rated" : item.effort}` }),
          el("br"), el("span", { text: item.improvement }), " ", reference, " · ",
          el("a", { href: new URL(item.guide, siteRoot()).href, text: "Guide" }),
          ...item.caveats.map((caveat) => el("span", { class: "kb-caveat", text: caveat })),
          el("br"), el("a", { class: "kb-plan__question", href: `#${item.question}`, text: item.question_title }),
          decisionLine(item, result.unfinished[item.choice]));
      })));
    }
    plan.replaceChildren(...parts);
    // The engine says which ranks the filters leave in view; a long bucket shows its first few until unfolded.
    const visible = new Set(result.view.visible);
    for (const list of $$("ol.kb-plan", plan)) {
      const bucket = list.previousElementSibling?.querySelector("[data-unfold]")?.dataset.unfold;
      $$("li[data-choice]", list).forEach((li, index) => {
        li.hidden = !visible.has(Number(li.value)) || (bucket && !app.unfolded.has(bucket) && index >= FOLDED);
      });
    }
    drawStartHere(result.start_here);
  }

  function drawStartHere(items) {
    $("[data-start-here]").replaceChildren(...items.map((item) => el("li", { value: String(item.rank) },
      el("a", { href: `#plan-${item.rank}`, text: item.title }), ` (${item.pillar_name}) `,
      el("span", { class: "kb-hint", text: item.why }))));
  }

  function decisionLine(item, unfinished) {
    const { decision } = item;
    const facts = [decision.label, decision.owner, decision.due].filter(Boolean).join(" · ");
    const line = el("span", { class: `kb-decision-line kb-status--${decision.status}` }, el("span", { text: facts }), " ",
      el("button", { type: "button", class: "kb-link-button", "data-decide": item.choice, text: "Decide…" }), " ",
      el("button", { type: "button", class: "kb-link-button", "data-done": item.choice, text: "Mark done" }));
    if (decision.ticket) line.append(" ", el("a", { href: decision.ticket, rel: "noopener", target: "_blank", text: "Ticket" }));
    if (unfinished) line.append(el("span", { class: "kb-unfinished", text: unfinished.join(" ") }));
    return el("div", {}, line);
  }

  function drawFilters(view) {
    // The engine counts and filters; the selects only show its lists and send the choice back.
    const fill = (select, all, options, chosen) => {
      select.replaceChildren(el("option", { value: "", text: all }), ...options.map(([value, text]) => el("option", { value, text })));
      select.value = chosen;
    };
    fill($("[data-filter=status]"), "All statuses", view.statuses.map((s) => [s.id, s.text]), view.status);
    fill($("[data-filter=owner]"), "All owners", view.owners.map((o) => [o, o]), view.owner);
    fill($("[data-filter=pillar]"), "All pillars", view.pillars.map((p) => [p.id, p.text]), view.pillar);
  }

  function drawAccepted(accepted) {
    const box = $("[data-accepted]");
    if (!accepted.length) {
      box.replaceChildren(el("p", { class: "kb-hint", text: "None: no recommendation is marked risk accepted." }));
      return;
    }
    box.replaceChildren(el("ul", { class: "kb-accepted" }, ...accepted.map((risk) =>
      el("li", { class: risk.overdue ? "kb-overdue" : "", "data-accepted-choice": risk.choice },
        el("strong", { text: risk.title }), ` (${risk.pillar_name}) `, el("span", { text: risk.reason }), " ",
        el("span", { class: "kb-review", text: risk.text }), " ",
        el("button", { type: "button", class: "kb-link-button", "data-decide": risk.choice, text: "Decide…" })))));
  }

  function drawDisagreements(disagreements) {
    for (const box of $$("[data-disagreement-for]")) box.replaceChildren();
    for (const item of disagreements) {
      const box = $(`[data-disagreement-for="${item.question}"]`);
      if (!box) continue;
      box.replaceChildren(el("span", { text: item.text }), " ",
        el("button", { type: "button", class: "kb-link-button", "data-resolve": item.question, text: "Resolved" }));
    }
  }

  function drawPrintSummary(result) {
    // Shown only when printing: the review record's first page.
    const { workload } = result;
    const top = result.recommendations.slice(0, 10);
    $("[data-print-summary]").replaceChildren(
      el("h2", { text: `Executive summary: ${workload.name || "Unnamed workload"}` }),
      el("p", { text: `${today()} · ${result.summary.text} · ${result.progress.text}` }),
      el("table", { class: "kb-pillar-table" }, el("thead", {}, el("tr", {}, el("th", { text: "Pillar" }),
        ...Object.values(result.risk_labels).map((label) => el("th", { text: label })))),
        el("tbody", {}, ...result.pillars.map((pillar) => el("tr", {}, el("th", { text: pillar.name }),
          ...Object.keys(result.risk_labels).map((risk) => el("td", { text: String(pillar[risk]) })))))),
      el("h3", { text: "First actions" }),
      el("ol", {}, ...top.map((item) => el("li", {}, el("strong", { text: item.title }),
        ` (${item.pillar_name}) · ${item.decision.label}${item.decision.owner ? ` · ${item.decision.owner}` : ""}`))));
  }

  // --- way-finding -------------------------------------------------------------------------------------

  // Whether a question has any tick: the page's own count, shown only until the engine's first result.
  const filled = (box) => $$("input[data-choice]:checked, input[data-none]:checked, input[data-na]:checked", box).length > 0;

  function countBeforeEngine() {
    if (app.unanswered) return; // the engine has answered: its numbers win
    const count = $$("fieldset[data-question]").filter(filled).length;
    app.progress.value = count;
    app.progressText.textContent = count ? `${count} answered` : app.nothingAnswered;
  }

  function drawTocCounts(pillars) {
    // Material's table of contents links to each pillar's heading; each gets the pillar's answered count.
    for (const pillar of pillars) {
      const total = ["high", "medium", "none", "not_applicable", "unanswered"].reduce((sum, risk) => sum + pillar[risk], 0);
      const answered = total - pillar.unanswered;
      for (const link of $$(".md-sidebar a.md-nav__link")) {
        if (link.hash !== `#pillar-${pillar.id}`) continue;
        const count = $(".kb-toc-count", link) || link.appendChild(el("span", { class: "kb-toc-count" }));
        count.replaceChildren(el("span", { "aria-hidden": "true", text: `${answered}/${total}` }),
          el("span", { class: "kb-visually-hidden", text: `, ${answered} of ${total} answered` }));
      }
    }
  }

  function nextUnanswered() {
    // The next unanswered question below the top of the view (wrapping round), scrolled to and focused.
    const open = $$("fieldset[data-question]").filter((box) => !box.hidden &&
      (app.unanswered ? app.unanswered.has(box.dataset.question) : !filled(box)));
    if (!open.length) return;
    const below = open.find((box) => box.getBoundingClientRect().top > parseFloat(getComputedStyle(box).scrollMarginTop) + 1);
    const box = below || open[0];
    box.scrollIntoView({ block: "start" });
    const first = $$("input", box).find((input) => !input.closest("[hidden]"));
    first?.focus({ preventScroll: true });
  }

  // --- actions ------------------------------------------------------------------------------------------

  function changed(options) {
    save(options); // when storage fails, save says so once and the answers stay in the form
    countBeforeEngine();
    refresh();
  }

  function onInput(event) {
    const input = event.target;
    const box = input.closest("fieldset[data-question]");
    if (box) unmark(box);
    if (box && input.matches("input[data-none]") && input.checked) {
      for (const other of $$("input[data-choice]", box)) other.checked = false;
    } else if (box && input.matches("input[data-choice]") && input.checked) {
      $("input[data-none]", box).checked = false;
    } else if (box && input.matches("input[data-na]")) {
      box.classList.toggle("is-not-applicable", input.checked);
    } else if (input.name === "pillar_priorities") {
      app.priorities = app.priorities.filter((p) => p !== input.value);
      if (input.checked) app.priorities.push(input.value);
    }
    changed();
  }

  async function saveState(stem) {
    // The engine writes the state file (the CLI's bytes); only without it does the page write its own.
    const name = `${stem}-state.json`;
    if (!app.ready) {
      download(name, `${JSON.stringify(readForm(), null, 2)}\n`, "application/json");
      return;
    }
    const reply = await ask({ op: "save", state: readForm() });
    if (reply.ok) download(name, reply.text, "application/json");
    else say("failure", "The state could not be saved:", reply.problems);
  }

  async function report(format, name, type) {
    const reply = await ask({ op: "report", state: readForm(), format, site_url: siteRoot(), today: today() });
    if (reply.ok) download(name, reply.text, type);
    else say("failure", "The report could not be made:", reply.problems);
  }

  function confirmReplace(text) {
    const dialog = $("[data-dialog]", app.root);
    $("[data-dialog-text]", dialog).textContent = text;
    dialog.returnValue = ""; // Esc closes without setting it: it must not keep an earlier "yes"
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
      dialog.showModal();
      $("[data-dialog-no]", dialog).focus(); // the safe answer is the default
    });
  }

  async function importText(text, source, size = 0) {
    if (!app.ready) {
      say("failure", `${source} cannot be checked: the assessment engine is not available. Nothing was changed.`);
      return false;
    }
    const reply = await ask({ op: "import", text, size });
    if (!reply.ok) {
      say("failure", `${source} was not imported, and your answers are unchanged:`, reply.problems);
      return false;
    }
    const answered = app.answered || 0;
    const named = (name) => (name.trim() ? `“${name.trim()}”` : "an unnamed workload");
    const mine = named($("#workload-name").value);
    const theirs = named(String(reply.state?.workload?.name || ""));
    if (answered && !(await confirmReplace(`Replace your answers for ${mine} with those for ${theirs} from ${source}?`))) {
      say("note", "Kept your current answers.");
      return false;
    }
    fillForm(reply.state);
    unmark(app.root.closest("article") || document);
    changed();
    say("success", `Imported ${source}.`, reply.warnings);
    return true;
  }

  async function importFile(input) {
    const file = input.files[0];
    input.value = "";
    if (!file) return;
    // Never more than the limit is read: the engine refuses an oversized file by the size given.
    await importText(await file.slice(0, maxBytes() + 1).text(), `the file ${file.name}`, file.size);
  }

  const maxBytes = () => Number(app.root.dataset.maxBytes);
  const today = () => new Date().toLocaleDateString("sv"); // YYYY-MM-DD in the visitor's own time zone
  const stateVersion = () => Number(app.root.dataset.stateVersion); // the engine's, written into the page
  const siteRoot = () => new URL(app.root.dataset.siteRoot, location.href).href;

  async function readCapped(stream, limit) {
    // Decompress a share link, but stop past the state-file limit: a tiny link may inflate to gigabytes.
    const reader = stream.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        reader.cancel();
        throw new Error("too large");
      }
      chunks.push(value);
    }
    return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
  }

  function bytesToBase64Url(bytes) {
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  async function share() {
    const reply = await ask({ op: "save", state: readForm() });
    if (!reply.ok) {
      say("failure", "The share link could not be made:", reply.problems);
      return;
    }
    const stream = new Blob([reply.text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    const url = new URL(location.href);
    url.hash = `state=${bytesToBase64Url(bytes)}`;
    const field = $("[data-share-url]", app.root);
    field.value = url.href;
    $("[data-share]", app.root).hidden = false;
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(url.href);
      say("success", "Share link copied. Anyone who opens it sees these answers; they stay in the link.");
    } catch {
      say("note", "Copy the share link from the field below.");
    }
  }

  async function openSharedLink() {
    const match = location.hash.match(/^#state=([A-Za-z0-9_-]+)$/);
    if (!match) return;
    history.replaceState(history.state, "", location.pathname + location.search);
    try {
      const base64 = match[1].replace(/-/g, "+").replace(/_/g, "/");
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      await importText(await readCapped(stream, maxBytes()), "the share link");
    } catch {
      say("failure", "The share link is damaged and was not opened. Your answers are unchanged.");
    }
  }

  async function saveMilestone() {
    const nameField = $("[data-milestone-name]");
    const name = nameField.value.trim() || `Milestone ${readList(MILESTONES).length + 1}`;
    const milestones = readList(MILESTONES).filter((m) => m.name !== name);
    milestones.push({ name, state: readForm() });
    if (!writeJSON(MILESTONES, milestones)) {
      say("failure", "The milestone could not be saved: this browser's storage is full or turned off.");
      return;
    }
    nameField.value = "";
    listMilestones(name);
    $("[data-milestone-status]").textContent = `Saved the milestone “${name}”.`; // next to the button
  }

  function listMilestones(selected) {
    const select = $("[data-milestone-select]");
    const milestones = readList(MILESTONES);
    select.replaceChildren(...milestones.map((m) => el("option", { value: m.name, text: m.name })));
    if (selected) select.value = selected;
  }

  async function compareMilestone() {
    const name = $("[data-milestone-select]").value;
    const milestone = readList(MILESTONES).find((m) => m.name === name);
    const out = $("[data-comparison]");
    if (!milestone) {
      out.replaceChildren(el("p", { text: "Save a milestone first." }));
      return;
    }
    const reply = await ask({ op: "compare", old: milestone.state, new: readForm(), since: name });
    if (!reply.ok) {
      say("failure", "The milestone cannot be compared:", reply.problems);
      return;
    }
    const { comparison } = reply;
    const parts = [el("p", { "data-comparison-summary": "", text: comparison.summary_text })];
    for (const pillar of comparison.pillars) {
      const changes = ["resolved", "improved", "worsened", "added", "removed"]
        .flatMap((kind) => pillar[kind].map((c) => [kind, c]));
      if (!changes.length) continue;
      parts.push(el("p", {}, el("strong", { text: pillar.name })), el("ul", {}, ...changes.map(([kind, c]) =>
        el("li", { class: `kb-change kb-change--${kind}`, text: c.text }))));
    }
    if (comparison.decisions.length) {
      parts.push(el("p", {}, el("strong", { text: "Decisions" })),
        el("ul", {}, ...comparison.decisions.map((change) => el("li", { class: "kb-change", text: change.text }))));
    }
    const save = el("button", { type: "button", class: "md-button", text: "Download comparison (Markdown)" });
    save.addEventListener("click", () => download(`${fileStem()}-comparison.md`, reply.text, "text/markdown"));
    parts.push(el("p", {}, save));
    out.replaceChildren(...parts);
  }

  function openDecision(choice) {
    const dialog = $("[data-decision-dialog]", app.root);
    const form = $("form", dialog);
    const current = app.decisions[choice] || {};
    const title = $(`input[value="${choice}"]`)?.closest("label")?.textContent.trim() || choice;
    $("[data-decision-title]", dialog).textContent = title;
    for (const field of form.elements) {
      if (field.name) field.value = current[field.name] || (field.name === "status" ? "open" : "");
    }
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "save") return;
      const decision = {};
      for (const field of form.elements) if (field.name && field.value.trim()) decision[field.name] = field.value.trim();
      app.decisions[choice] = decision;
      changed();
    }, { once: true });
    dialog.showModal();
  }

  function markDone(choice) {
    // Done means the practice is in place: tick it (one source of truth), and the recommendation goes.
    const box = $(`input[data-choice][value="${choice}"]`);
    if (box && !box.checked) box.click();
  }

  function resolveDisagreement(question) {
    app.disagreements = app.disagreements.filter((item) => item.question !== question);
    changed();
  }

  async function mergeFile(input) {
    const file = input.files[0];
    input.value = "";
    if (!file) return;
    const mine = readForm();
    const reply = await ask({ op: "merge", mine, mine_name: mine.workload.owner || "You",
      theirs_text: await file.slice(0, maxBytes() + 1).text(), theirs_name: file.name.replace(/\.json$/i, "") });
    if (!reply.ok) {
      say("failure", `The file ${file.name} was not merged, and your answers are unchanged:`, reply.problems);
      return;
    }
    fillForm(reply.state);
    unmark(app.root.closest("article") || document);
    changed();
    say("success", reply.text);
  }

  async function clearAnswers() {
    if (!(await confirmReplace("Clear every answer and the workload? Saved milestones are kept."))) return;
    fillForm(emptyState());
    unmark(app.root.closest("article") || document);
    changed({ force: true }); // explicit: may write over a saved state this page could not read
    say("note", "Cleared all answers.");
  }

  // --- start-up -----------------------------------------------------------------------------------------

  function start() {
    const root = $("#kb-app");
    if (app && app.root !== root) {
      // Leaving the checklist: stop its worker and settle what it still owed, so nothing waits forever.
      if (app.worker) app.worker.terminate();
      app.barObserver?.disconnect();
      for (const settle of app.pending.values()) settle({ ok: false, problems: ["the page was left"] });
      app.pending.clear();
    }
    document.body.classList.toggle("kb-has-bar", Boolean(root)); // site.css: room for the progress bar
    if (!root) {
      app = undefined;
      return;
    }
    if (app && app.root === root) return;
    app = {
      root,
      status: $("[data-status]", root),
      download: $("[data-download]", root),
      meanwhile: $("[data-meanwhile]", root),
      messages: $("[data-messages]", root),
      bar: $("[data-progress-bar]"),
      progress: $("[data-progress]"),
      progressText: $("[data-progress-text]"),
      nextButton: $("button[data-action=next-unanswered]"),
      nothingAnswered: $("[data-progress-text]").textContent, // the engine's sentence for none, from the build
      unanswered: null, // the ids of unanswered questions, from the engine's last result
      priorities: [],
      inFlight: false,
      dirty: false,
      ready: false,
      failed: false,
      pending: new Map(),
      nextId: 1,
      filter: { status: "", owner: "", pillar: "" },
      unfolded: new Set(),
    };
    STORE = `${root.dataset.store}:checklist:state`;
    MILESTONES = `${root.dataset.store}:checklist:milestones`;
    root.hidden = false;
    app.bar.hidden = false;
    // The bar's height, for the scroll margin that keeps questions and headings clear of it (site.css).
    app.barObserver = new ResizeObserver(() => {
      document.documentElement.style.setProperty("--kb-bar-height", `${app.bar.offsetHeight}px`);
    });
    app.barObserver.observe(app.bar);
    for (const control of $$("[data-needs-engine]", document)) control.disabled = true;
    const stored = readStored();
    fillForm(stored.state || emptyState());
    app.base = units(readForm()); // as the form reads it: a unit it cannot show is not this tab's change
    app.own = new Set(); // units this tab has changed and saved, until another tab changes them
    app.written = null; // the text of this tab's last save
    if (stored.error) storageFailed(stored.error);
    else if (!storageWorks()) storageFailed("full");
    countBeforeEngine();
    listMilestones();
    const article = root.closest("article") || document;
    // Heading permalinks stay clickable but leave the tab order (a keyboard user meets questions, not "¶"),
    // and lose the title whose tooltip covered the first question's title below the heading.
    for (const link of $$("a.headerlink", article)) {
      link.tabIndex = -1;
      if (link.title) link.setAttribute("aria-label", link.title);
      link.removeAttribute("title");
    }
    article.addEventListener("change", (event) => {
      if (event.target.matches("[data-action=import]")) importFile(event.target);
      else if (event.target.matches("[data-action=merge]")) mergeFile(event.target);
      else if (event.target.matches("[data-filter]")) {
        app.filter[event.target.dataset.filter] = event.target.value;
        refresh();
      }
      else if (event.target.closest("fieldset[data-question], #workload, #scope")) onInput(event);
    });
    article.addEventListener("input", (event) => {
      if (event.target.matches("#workload input[type=text], #workload textarea, textarea[data-notes]")) {
        const box = event.target.closest("fieldset[data-question]");
        if (box) unmark(box);
        changed();
      }
    });
    article.addEventListener("click", (event) => {
      const target = event.target.closest("[data-decide], [data-done], [data-resolve], [data-unfold]");
      if (target?.dataset.unfold) {
        const bucket = target.dataset.unfold;
        if (!app.unfolded.delete(bucket)) app.unfolded.add(bucket);
        refresh();
      } else if (target?.dataset.decide) openDecision(target.dataset.decide);
      else if (target?.dataset.done) markDone(target.dataset.done);
      else if (target?.dataset.resolve) resolveDisagreement(target.dataset.resolve);
      if (target) return;
      const action = event.target.closest("button[data-action]")?.dataset.action;
      const stem = fileStem();
      const button = event.target.closest("button[data-format]");
      if (button) report(button.dataset.format, `${stem}-${button.dataset.suffix}`, button.dataset.type);
      else if (action === "download-state") saveState(stem);
      else if (action === "print") window.print();
      else if (action === "share") share();
      else if (action === "reset") clearAnswers();
      else if (action === "save-milestone") saveMilestone();
      else if (action === "next-unanswered") nextUnanswered();
      else if (action === "compare") compareMilestone();
    });
    adoptWorker();
  }

  // Another tab of the checklist saved its answers.
  window.addEventListener("storage", onStorage);
  // A share link pasted into the address bar of an open checklist changes only the fragment.
  window.addEventListener("hashchange", () => {
    if (app && app.ready) openSharedLink();
  });
  if (typeof document$ !== "undefined") document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
