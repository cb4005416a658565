/**
 * Hostile values for every field that reaches a host: shell metacharacters, command
 * substitution, quotes, newlines, NUL, path tricks, option injection, very long and non-ASCII
 * strings, each alone and wrapped around a plausible value. Every one tries to create `sentinel`.
 */
export function hostileValues(sentinel: string, plausible: string): string[] {
  const touch = `touch ${sentinel}`
  const cores = [
    `$(${touch})`,
    `\`${touch}\``,
    `; ${touch}`,
    `;${touch};`,
    `&& ${touch}`,
    `|| ${touch}`,
    `| ${touch}`,
    `& ${touch} &`,
    `\n${touch}\n`,
    `\r\n${touch}`,
    `' ; ${touch} ; '`,
    `" ; ${touch} ; "`,
    `'$(${touch})'`,
    `"$(${touch})"`,
    `\${IFS}touch\${IFS}${sentinel}`,
    `> ${sentinel}`,
    `>> ${sentinel}`,
    `< /etc/shadow > ${sentinel}`,
    `../../../../..${sentinel}`,
    `/../../..${sentinel}`,
    `-oProxyCommand=${touch}`,
    `--output=${sentinel}`,
    `-r ${sentinel}`,
    `\0${touch}`,
    `a\0b`,
    `%0a${touch}`,
    `\\\n${touch}`,
    `{${touch},}`,
    `*`,
    `?`,
    `~root/.ssh`,
    `$HOME`,
    `!!`,
    `ünïcødé-✓-日本語`,
    `\u202e${touch}`,
    `x`.repeat(5000),
    ` `,
    ``,
  ]
  const wrappers: ((core: string) => string)[] = [
    (c) => c,
    (c) => `${plausible}${c}`,
    (c) => `${c}${plausible}`,
    (c) => `${plausible} ${c}`,
    (c) => `${plausible}${c}${plausible}`,
    (c) => `'${plausible}${c}'`,
    (c) => `"${plausible}${c}"`,
    (c) => `${plausible}\n${c}`,
    (c) => `-${plausible}${c}`,
    (c) => `${plausible}/${c}`,
    (c) => `${c}\t`,
    (c) => ` ${plausible}${c} `,
    (c) => `${plausible};${c}`,
  ]
  return [...new Set(cores.flatMap((core) => wrappers.map((wrap) => wrap(core))))]
}
