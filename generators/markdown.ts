// Markdown from rule text (the README's rule table, docs/rules/): whatever a rule or fixture says
// reads back exactly as written and cannot open a heading, list, table cell, HTML block, code
// fence or link of its own.

const ALNUM = /^[A-Za-z0-9]$/;

/**
 * `value` as inline text on one line: line breaks become spaces and every character Markdown (or
 * GitHub: `$` math, `~` strikethrough) could read as syntax is backslash-escaped. An underscore
 * inside a word (SYS_ADMIN) cannot start emphasis, so it is left as it is.
 */
export function text(value: string): string {
  const line = value.trim().replace(/\s*\n\s*/g, " ");
  const escaped = [...line]
    .map((char, i, chars) => {
      if (char === "_") return ALNUM.test(chars[i - 1] ?? "") && ALNUM.test(chars[i + 1] ?? "") ? char : "\\_";
      return "\\`*[]<>|~&#$".includes(char) ? `\\${char}` : char;
    })
    .join("");
  // What opens a block only at the start of a line: a list item (`- `, `+ `, `1. `) or a setext underline.
  return escaped.replace(/^([-+=])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
}

/** `value` verbatim as a code span (line breaks become spaces); `inTable` escapes `|` for a table cell. */
export function code(value: string, inTable = false): string {
  const line = value.replace(/\r?\n/g, " ");
  const ticks = "`".repeat(longestRun(line, "`") + 1);
  // A span keeps its content's edges only when padded: a backtick there would join the fence, and
  // one space on each side is stripped.
  const padded = /^[` ]|[` ]$/.test(line) && line.trim() !== "" ? ` ${line} ` : line;
  return `${ticks}${inTable ? padded.replaceAll("|", "\\|") : padded}${ticks}`;
}

/** A fenced code block holding `content` verbatim, its fence longer than any backtick run inside. */
export function fence(content: string, info: string): string {
  const ticks = "`".repeat(Math.max(3, longestRun(content, "`") + 1));
  return `${ticks}${info}\n${content.replace(/\n$/, "")}\n${ticks}`;
}

/** A link to `url` labelled with `label` (already Markdown); the URL is kept whole, spaces and all. */
export function link(label: string, url: string): string {
  const target = destination(url);
  // Parentheses would have to balance in a bare destination; between angle brackets they need not.
  return `[${label}](${/[()]/.test(target) ? `<${target}>` : target})`;
}

/** A URL shown as itself, as a link; text that is no absolute URL stays text. */
export function autolink(url: string): string {
  return /^[A-Za-z][A-Za-z0-9+.-]{1,31}:/.test(url) ? `<${destination(url)}>` : text(url);
}

/**
 * The URL percent-encoded where it would end an angle-bracketed destination or a table cell, or
 * start a backslash escape.
 */
function destination(url: string): string {
  return url.replace(/[\s<>|\\]/g, encodeURIComponent);
}

function longestRun(value: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of value) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
