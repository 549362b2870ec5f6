import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './kamailio';

const DOVECOT_BIN = process.env.DOVECOT_BIN ?? '/usr/sbin/dovecot';

export interface DovecotHandle {
  host: string;
  port: number;
  user: string;
  pass: string;
  stop(): Promise<void>;
}

/**
 * Debian's Dovecot (dovecot-imapd) started for one test: its own config, port, state and maildir
 * under a temporary folder, run in the foreground as a child of the test (no system service).
 * Plain IMAP on 127.0.0.1 with a passwd-file user. Dovecot refuses uid 0 for mail processes, so
 * under root the mailbox belongs to nobody (65534); otherwise to the current user.
 */
export async function startDovecot(): Promise<DovecotHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'dovecot-'));
  const port = await freePort();
  const me = userInfo();
  const root = me.uid === 0;
  const uid = root ? 65534 : me.uid;
  const gid = root ? 65534 : me.gid;
  for (const d of ['run', 'state', 'home']) mkdirSync(join(dir, d));
  if (root) {
    // the mail processes run as nobody: they must reach their home inside the private folder
    chmodSync(dir, 0o711);
    chownSync(join(dir, 'home'), uid, gid);
  }
  const user = 'cobranza';
  const pass = 'buzon-de-respuestas';
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${pass}\n`);
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
${root ? 'default_login_user = dovenull\ndefault_internal_user = dovecot' : `default_login_user = ${me.username}\ndefault_internal_user = ${me.username}`}
service imap-login {
  chroot =
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  const log: string[] = [];
  const child: ChildProcess = spawn(DOVECOT_BIN, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (b: Buffer) => log.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => log.push(b.toString()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode}: ${log.join('')}`);
    const up = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port}: ${log.join('')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    pass,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
