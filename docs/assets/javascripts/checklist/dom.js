// Small DOM helpers, and the page's message box.
import { app } from "./context.js";

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

export const isRecord = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
export const splitList = (text) => text.split(",").map((item) => item.trim()).filter(Boolean);

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function say(kind, heading, lines = []) {
  const box = app.messages;
  box.replaceChildren();
  if (!heading) return;
  box.className = `kb-messages admonition ${kind}`;
  box.append(el("p", { class: "admonition-title", text: heading[0].toUpperCase() + heading.slice(1) }));
  if (lines.length) box.append(el("ul", {}, ...lines.map((line) => el("li", { text: line }))));
}
