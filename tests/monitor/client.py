"""client.py SOCKET|HOST:PORT: a scripted monitor client for tests/monitor/run.sh.

Connects (retrying while tandem starts), sends each line of stdin as one command
and waits for its reply (everything up to the next "(tandem) " prompt), then reads
until tandem closes the connection.  Prints a transcript: "> COMMAND" and then its
reply lines; the lines after the last prompt (tandem's goodbye) follow "> (end)".
Exits 2 when it cannot connect or tandem goes silent for 60 s."""
import socket
import sys
import time

PROMPT = b"(tandem) "


def connect(where):
    for _ in range(400):
        try:
            if "/" in where:
                s = socket.socket(socket.AF_UNIX)
                s.connect(where)
            else:
                host, port = where.rsplit(":", 1)
                s = socket.create_connection((host, int(port)))
            s.settimeout(60)
            return s
        except OSError:
            time.sleep(0.05)
    print("client: cannot connect to " + where)
    sys.exit(2)


def main():
    s = connect(sys.argv[1])
    buf = b""

    def reply():
        nonlocal buf
        while PROMPT not in buf:
            try:
                d = s.recv(4096)
            except socket.timeout:
                print("client: no reply in 60 s")
                sys.exit(2)
            if not d:
                break
            buf += d
        out, _, buf = buf.partition(PROMPT)
        return out.decode(errors="replace")

    sys.stdout.write(reply())
    for line in sys.stdin:
        cmd = line.rstrip("\n")
        s.sendall((cmd + "\n").encode())
        print("> " + cmd)
        sys.stdout.write(reply())
        sys.stdout.flush()
    print("> (end)")
    sys.stdout.write(reply())


main()
