import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const main = join(repo, 'src', 'cli', 'main.ts');
const env = { ...process.env, NABLA_DEBUG: '' };

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Starts `nabla playground ARGS…` and resolves with the URL it prints (or rejects with its output). */
function startPlayground(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'playground', ...args], {
    cwd: repo,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /nabla playground: (http:\/\/\S+\/)/.exec(stdout);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) =>
      reject(
        new Error(`nabla playground exited (${code}) before printing its URL:\n${stdout}${stderr}`),
      ),
    );
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('nabla playground', () => {
  it('builds when needed, serves the app on a free port and prints its URL', async () => {
    const { child, url } = await startPlayground(['--port', '0', '--no-open']);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(Number(new URL(url).port)).toBeGreaterThan(0);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toMatch(/<title>nabla playground/);
      expect((await fetch(new URL('no-such-file.js', url))).status).toBe(404);
    } finally {
      await stop(child);
    }
  }, 120_000);

  it('a port in use is a one-line error naming the port', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', main, 'playground', '--port', String(port), '--no-open'],
          { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        children.push(child);
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`port ${port} is in use`);
      expect(r.stderr).toContain('--port');
    } finally {
      blocker.close();
    }
  }, 120_000);

  it.each([
    [['--port', 'abc'], /--port must be an integer, got "abc"/],
    [['--port', '70000'], /--port must be at most 65535, got 70000/],
  ])('%j is a one-line error with exit code 2', (args, message) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'playground', ...args], {
      cwd: repo,
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
