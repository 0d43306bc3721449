/**
 * `gridhook completion bash|zsh`: the script the real binary prints is loaded
 * into a real bash (and checked by zsh where it is installed), and completes
 * commands, subcommands and each subcommand's own flags.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from './helpers/process.js';

let script: string;

beforeAll(() => {
  assertBuilt();
  script = execFileSync(process.execPath, [CLI, 'completion', 'bash'], { encoding: 'utf8' });
});

/** What bash offers after the words typed (a trailing space starts a new word). */
function complete(line: string): string[] {
  const program = `${script}
read -ra COMP_WORDS <<< "$1"
[[ "$1" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_gridhook
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', program, 'complete', line], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('gridhook completion', () => {
  it('completes commands, subcommands and the flags of the subcommand typed', () => {
    expect(complete('gridhook ev')).toEqual(['events']);
    expect(complete('gridhook events re')).toEqual(['replay', 'retry']);
    expect(complete('gridhook events replay --')).toEqual(['--api-key', '--callback', '--help', '--json', '--since', '--status', '--until', '--url', '--wait']);
    expect(complete('gridhook events retry --')).not.toContain('--since');
    expect(complete('gridhook listen --s')).toEqual(['--secret', '--status']);
    expect(complete('gridhook id ')).toEqual(['create', 'find', 'list', 'update']);
    expect(complete('gridhook serve --database')).toEqual(['--database-url']);
    expect(complete('gridhook completion ')).toEqual(['bash', 'zsh']);
  });

  it('prints a zsh script that zsh can load, and names the shells when asked for another', () => {
    const zsh = execFileSync(process.execPath, [CLI, 'completion', 'zsh'], { encoding: 'utf8' });
    expect(zsh).toMatch(/^# gridhook completion \(zsh, through bashcompinit\); made by 'gridhook completion zsh'\nautoload -U \+X bashcompinit && bashcompinit\n_gridhook\(\) \{/);
    if (spawnSync('zsh', ['--version']).status === 0) {
      const loaded = spawnSync('zsh', ['-fc', `${zsh}\nwhence -w _gridhook`], { encoding: 'utf8' });
      expect(loaded.stdout).toBe('_gridhook: function\n');
    }
    const other = spawnSync(process.execPath, [CLI, 'completion', 'fish'], { encoding: 'utf8' });
    expect(other.status).toBe(2);
    expect(other.stderr).toBe('Which shell? gridhook completion bash, or gridhook completion zsh (got "fish").\n');
  });
});
