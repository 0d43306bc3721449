/**
 * `gridhook completion bash|zsh`: a completion script made from the CLI's own
 * command tables, so that a command or flag added there completes without
 * editing a script by hand. zsh runs the bash script through bashcompinit.
 */

export interface CompletionTable {
  /** The first words: commands and command groups. */
  commands: string[];
  /** Second words by first word (a group's subcommands, a directory object's verbs). */
  subcommands: Record<string, string[]>;
  /** Flags by "first second" (a subcommand) or by first word alone. */
  flags: Record<string, string[]>;
}

export const COMPLETION_USAGE = `Shell completion:
  gridhook completion bash    a bash completion script: eval "$(gridhook completion bash)" in ~/.bashrc
  gridhook completion zsh     the same for zsh: eval "$(gridhook completion zsh)" in ~/.zshrc`;

function words(list: readonly string[]): string {
  return [...new Set(list)].sort().join(' ');
}

function caseArms(table: Record<string, string[]>, indent: string): string {
  return Object.entries(table)
    .map(([key, list]) => `${indent}"${key}") words="${words(list)}" ;;`)
    .join('\n');
}

export function bashCompletion(table: CompletionTable): string {
  const single = Object.fromEntries(Object.entries(table.flags).filter(([key]) => !key.includes(' ')));
  const paired = Object.fromEntries(Object.entries(table.flags).filter(([key]) => key.includes(' ')));
  return `# gridhook completion (bash); made by 'gridhook completion bash'
_gridhook() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" words=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    words="${words(table.commands)}"
  elif [ "$COMP_CWORD" -eq 2 ] && [[ "$cur" != -* ]]; then
    case "\${COMP_WORDS[1]}" in
${caseArms(table.subcommands, '      ')}
    esac
  else
    case "\${COMP_WORDS[1]} \${COMP_WORDS[2]}" in
${caseArms(paired, '      ')}
      *)
        case "\${COMP_WORDS[1]}" in
${caseArms(single, '          ')}
        esac ;;
    esac
  fi
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _gridhook gridhook
`;
}

export function zshCompletion(table: CompletionTable): string {
  return `# gridhook completion (zsh, through bashcompinit); made by 'gridhook completion zsh'
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(table).split('\n').slice(1).join('\n')}`;
}
