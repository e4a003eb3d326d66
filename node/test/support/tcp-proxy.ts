// A TCP proxy in front of an emulator, so a test can take the emulator away from node processes
// (every open connection reset, every new one dropped) and give it back, while the test itself and
// the backend keep their direct connection.
import { createServer, connect, type Server, type Socket } from "node:net";

export interface TcpProxy {
  /** host:port the nodes connect to instead of the emulator. */
  readonly address: string;
  /** Connections the proxy dropped while cut: how often the nodes tried to reconnect. */
  readonly dropped: number;
  /** Resets every open connection and drops every new one until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [targetHost, targetPort] = target.split(":");
  const open = new Set<Socket>();
  let isCut = false;
  let dropped = 0;
  const server: Server = createServer((client) => {
    if (isCut) {
      dropped++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(targetPort), targetHost);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ]) {
      open.add(a);
      a.on("close", () => {
        open.delete(a);
        b.destroy();
      });
      a.on("error", () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    get dropped() {
      return dropped;
    },
    cut() {
      isCut = true;
      for (const s of [...open]) s.resetAndDestroy();
    },
    restore() {
      isCut = false;
    },
    close() {
      for (const s of [...open]) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
