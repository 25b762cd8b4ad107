import { request } from 'node:http';

/**
 * Finds out whether a Docker engine answers, by a real request rather than by looking for a
 * socket file: `GET /_ping` on `DOCKER_HOST` (unix:// or tcp://) or on /var/run/docker.sock.
 * Resolves within `timeoutMs`, never rejects. Used to skip the MinIO suites cleanly where no
 * engine runs (CI, this sandbox).
 */
export type DockerProbe =
  | { readonly available: true; readonly where: string }
  | { readonly available: false; readonly reason: string };

const DEFAULT_SOCKET = '/var/run/docker.sock';

export async function probeDockerEngine(
  env: Readonly<Record<string, string | undefined>> = process.env,
  timeoutMs = 1_000,
): Promise<DockerProbe> {
  const target = pingTarget(env.DOCKER_HOST);
  if (target === null) {
    return { available: false, reason: `DOCKER_HOST=${env.DOCKER_HOST} is not unix:// or tcp://` };
  }
  return new Promise<DockerProbe>((resolve) => {
    const done = (probe: DockerProbe) => {
      clearTimeout(timer);
      resolve(probe);
    };
    const req = request({ ...target.options, path: '/_ping', method: 'GET' }, (response) => {
      response.resume();
      if (response.statusCode === 200) done({ available: true, where: target.where });
      else
        done({ available: false, reason: `${target.where} answered HTTP ${response.statusCode}` });
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ available: false, reason: `${target.where} did not answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (error) =>
      done({ available: false, reason: `${target.where}: ${error.message}` }),
    );
    req.end();
  });
}

function pingTarget(dockerHost: string | undefined): {
  readonly where: string;
  readonly options: { socketPath: string } | { host: string; port: number };
} | null {
  if (dockerHost === undefined || dockerHost.length === 0) {
    return { where: DEFAULT_SOCKET, options: { socketPath: DEFAULT_SOCKET } };
  }
  if (dockerHost.startsWith('unix://')) {
    const socketPath = dockerHost.slice('unix://'.length);
    return { where: socketPath, options: { socketPath } };
  }
  if (dockerHost.startsWith('tcp://')) {
    const url = new URL(`http://${dockerHost.slice('tcp://'.length)}`);
    return { where: dockerHost, options: { host: url.hostname, port: Number(url.port || 2375) } };
  }
  return null;
}

/** True iff `GET endpoint + path` (or HEAD) answers at all within `timeoutMs` (any status). */
export async function probeHttp(url: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const req = request(url, { method: 'HEAD' }, (response) => {
      response.resume();
      clearTimeout(timer);
      resolve(true);
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(false);
    }, timeoutMs);
    req.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    req.end();
  });
}
