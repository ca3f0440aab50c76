/**
 * The collector expands `${env:NAME}` (and `${env:NAME:-default}`) in every string of its config,
 * turns `$$` into a literal `$`, and does not expand a bare `$NAME`. Text that must reach a
 * component verbatim (a regex ending in `$`) is therefore written with `$$`.
 */

/** `${env:NAME}`: how a config reads an environment variable. */
export function envReference(name: string): string {
  return `\${env:${name}}`;
}

/** Text as the collector must read it to pass it on verbatim: every `$` doubled. */
export function collectorLiteral(text: string): string {
  return text.replace(/\$/g, '$$$$');
}

export interface ExpansionScan {
  /** The environment variables referenced as `${env:NAME}`, in order of appearance. */
  readonly references: readonly string[];
  /** One sentence per `$` the collector would not treat as intended. */
  readonly problems: readonly string[];
  /** The text after expansion of `$$` (references left as written): what a component receives. */
  readonly unescaped: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Reads a config string the way the collector's confmap resolver does. */
export function scanExpansions(text: string): ExpansionScan {
  const references: string[] = [];
  const problems: string[] = [];
  let unescaped = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '$') {
      unescaped += text[i];
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      unescaped += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) {
        problems.push(`"\${" without a closing "}". Write \${env:NAME}, or $$ for a literal $`);
        unescaped += text.slice(i);
        break;
      }
      const body = text.slice(i + 2, close);
      const reference = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-.*)?$/.exec(body);
      if (reference) references.push(reference[1]);
      else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(body)) {
        problems.push(`"\${${body}}" relies on the default scheme. Write \${env:${body}}`);
      } else {
        problems.push(`"\${${body}}" is not an environment variable reference. Only \${env:NAME} is allowed here`);
      }
      unescaped += text.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    const bare = NAME.exec(text.slice(i + 1));
    problems.push(
      bare
        ? `"$${bare[0]}" is not expanded by the collector (a bare $NAME is not supported). ` +
            `Write \${env:${bare[0]}}, or $$${bare[0]} for the literal text`
        : 'a lone "$" is ambiguous (the collector turns "$$" into "$"). Write $$ for a literal $',
    );
    unescaped += '$';
    i++;
  }
  return { references, problems, unescaped };
}
