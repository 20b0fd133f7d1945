// A peer in a process of its own that answers JSON lines on stdin/stdout, one
// reply per request in order: the PyTorch peer and the TensorFlow.js peer. Its
// own process keeps its heap, its garbage and its threads off the clocks of
// the systems measured beside it.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

export class LinePeer {
  private readonly replies: ((line: string) => void)[] = [];
  private stderr = "";

  constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly name: string) {
    createInterface({ input: child.stdout }).on("line", (line) => this.replies.shift()?.(line));
    child.stderr.on("data", (chunk: Buffer) => { this.stderr = (this.stderr + chunk.toString()).slice(-4000); });
    child.on("exit", () => { for (const reply of this.replies.splice(0)) reply(""); });
  }

  /** The next line the peer writes, parsed. */
  reply(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.replies.push((line) => {
        if (line) resolve(JSON.parse(line));
        else reject(new Error(`${this.name} peer exited: ${this.stderr.trim().split("\n").pop() ?? ""}`));
      });
    });
  }

  request(message: object): Promise<unknown> {
    const answer = this.reply();
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    return answer;
  }

  close(): void {
    this.child.stdin.end();
  }
}
