// Quiz glue: grade each question in the page, keep answers in localStorage, announce feedback.
// The markup comes from checklist/pages/quiz.py and works without this script (a <details> per
// question holds the answer); here we only show buttons, mark options and move that content around.
(() => {
  // Each quiz's answers under "<site id>:quiz:<quiz id>": the form carries its site's id (data-store), so
  // two sites on one origin keep their own.
  const key = (form) => `${form.dataset.store}:quiz:${form.dataset.quiz}`;

  const load = (storageKey) => {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey) || "{}");
      return { answers: saved.answers || {}, checked: saved.checked || {} };
    } catch {
      return { answers: {}, checked: {} };
    }
  };
  const save = (storageKey, state) => {
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch {
      /* private mode or full storage: the quiz still works, it just forgets */
    }
  };

  const inputs = (fieldset) => [...fieldset.querySelectorAll("input")];
  const chosen = (fieldset) => inputs(fieldset).filter((i) => i.checked).map((i) => i.value);
  const isRight = (fieldset) =>
    inputs(fieldset).every((input) => input.checked === input.hasAttribute("data-correct"));

  function clearMarks(fieldset) {
    fieldset.classList.remove("is-right", "is-wrong");
    for (const input of inputs(fieldset)) {
      const label = input.closest("label");
      label.classList.remove("is-correct", "is-incorrect", "is-missed");
      label.querySelector(".kb-quiz__mark").textContent = "";
    }
    fieldset.querySelector(".kb-quiz__feedback").replaceChildren();
  }

  function showResult(fieldset) {
    clearMarks(fieldset);
    const right = isRight(fieldset);
    fieldset.classList.add(right ? "is-right" : "is-wrong");
    for (const input of inputs(fieldset)) {
      const label = input.closest("label");
      const mark = label.querySelector(".kb-quiz__mark");
      const correct = input.hasAttribute("data-correct");
      if (input.checked && correct) {
        label.classList.add("is-correct");
        mark.textContent = " ✓ your answer, correct";
      } else if (input.checked) {
        label.classList.add("is-incorrect");
        mark.textContent = " ✗ your answer, not correct";
      } else if (correct) {
        label.classList.add("is-missed");
        mark.textContent = " ✓ correct answer";
      }
    }
    const feedback = fieldset.querySelector(".kb-quiz__feedback");
    const verdict = document.createElement("p");
    verdict.className = "kb-quiz__verdict";
    verdict.textContent = right ? "Correct." : "Not quite.";
    const details = fieldset.querySelector(".kb-quiz__answer");
    const copies = [...details.querySelectorAll("p")].map((p) => p.cloneNode(true));
    feedback.replaceChildren(verdict, ...copies);
    return right;
  }

  function setUp(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "true";
    const storageKey = key(form);
    const questions = [...form.querySelectorAll(".kb-quiz__question")];
    const score = form.querySelector(".kb-quiz__score");
    let state = load(storageKey);

    const updateScore = () => {
      const right = questions.filter((q) => state.checked[q.dataset.question] && isRight(q)).length;
      const checked = questions.filter((q) => state.checked[q.dataset.question]).length;
      score.textContent = `${right} of ${questions.length} correct` +
        (checked < questions.length ? ` (${checked} of ${questions.length} checked)` : "");
    };

    for (const fieldset of questions) {
      const qid = fieldset.dataset.question;
      fieldset.querySelector(".kb-quiz__answer").hidden = true;
      fieldset.querySelector(".kb-quiz__actions").hidden = false;
      for (const input of inputs(fieldset)) {
        input.checked = (state.answers[qid] || []).includes(input.value);
        input.addEventListener("change", () => {
          state.answers[qid] = chosen(fieldset);
          delete state.checked[qid];
          clearMarks(fieldset);
          save(storageKey, state);
          updateScore();
        });
      }
      if (state.checked[qid]) showResult(fieldset);
      fieldset.querySelector("[data-action=check]").addEventListener("click", () => {
        const feedback = fieldset.querySelector(".kb-quiz__feedback");
        if (chosen(fieldset).length === 0) {
          const hint = document.createElement("p");
          hint.textContent = "Choose an answer first.";
          feedback.replaceChildren(hint);
          feedback.focus();
          return;
        }
        state.checked[qid] = true;
        save(storageKey, state);
        showResult(fieldset);
        updateScore();
        feedback.focus();
      });
    }

    form.querySelector(".kb-quiz__summary").hidden = false;
    form.querySelector("[data-action=retry]").addEventListener("click", () => {
      state = { answers: {}, checked: {} };
      save(storageKey, state);
      for (const fieldset of questions) {
        clearMarks(fieldset);
        for (const input of inputs(fieldset)) input.checked = false;
      }
      updateScore();
      inputs(questions[0])[0].focus();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    updateScore();
  }

  const start = () => document.querySelectorAll("form.kb-quiz").forEach(setUp);
  // Material's instant navigation swaps pages without a reload; document$ fires for each page.
  if (typeof document$ !== "undefined") document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
