import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts `server` listening and resolves with its port. A port that cannot be had is an error a
 * person can act on, naming the port and `setting`, the option that chose it ("PORT", "--port"),
 * rather than Node's "listen EADDRINUSE: address already in use :::3000".
 */
export async function listenOn(server: Server, port: number, host: string | undefined, setting: string) {
  await new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host, setting));
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string | undefined, setting: string) {
  const where = `port ${port}${host ? ` on ${host}` : ''}`;
  if (error.code === 'EADDRINUSE')
    return new Error(
      `${where} is already in use (${setting}): another deskhand or another program listens there; stop it, or set ${setting} to a free port`,
    );
  if (error.code === 'EACCES')
    return new Error(
      `${where} needs privileges this process does not have (${setting}): choose a port above 1023, or let a proxy listen on ${port}`,
    );
  if (error.code === 'EADDRNOTAVAIL')
    return new Error(
      `${host ?? 'the address'} is not an address of this machine (${setting} on ${host}): listen on one it has`,
    );
  return error;
}
