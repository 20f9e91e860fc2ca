/** CPU time and memory of a process, read from /proc (Linux), pidusage-style. */
import fs from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run). */
const CLOCK_TICKS = 100

export interface ProcSample {
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number
  /** Of those, the seconds spent in the kernel (system calls: sockets, fsync). */
  systemSeconds: number
  /**
   * Of those, the main thread's (JavaScript, the event loop). The rest is V8's and libuv's
   * threads: optimizing compilation, concurrent GC, fsync on the thread pool.
   */
  mainThreadSeconds: number
  rssBytes: number
  /** Peak RSS since the process started (VmHWM). */
  peakRssBytes: number
}

export function sampleProcess(pid: number): ProcSample {
  const [utime, stime] = ticksOf(`/proc/${pid}/stat`)
  const [mainUtime, mainStime] = ticksOf(`/proc/${pid}/task/${pid}/stat`)
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024
  return {
    cpuSeconds: (utime + stime) / CLOCK_TICKS,
    systemSeconds: stime / CLOCK_TICKS,
    mainThreadSeconds: (mainUtime + mainStime) / CLOCK_TICKS,
    rssBytes: kb('VmRSS'),
    peakRssBytes: kb('VmHWM'),
  }
}

/** User and system clock ticks of a process or one of its threads. */
function ticksOf(statFile: string): [number, number] {
  const stat = fs.readFileSync(statFile, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return [Number(fields[11]), Number(fields[12])]
}

export const MiB = 1024 * 1024

/** The whole machine's CPU time so far, from /proc/stat: busy and total, in clock ticks. */
export function sampleMachine(): { busy: number; total: number } {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number)
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const total = fields.reduce((sum, value) => sum + value, 0)
  // idle and iowait are the machine waiting; the rest (user, nice, system, irq…) is work.
  return { busy: total - fields[3] - (fields[4] ?? 0), total }
}

/** The share of the machine's CPU (all cores) that was busy between two samples, 0–1. */
export function machineBusy(before: ReturnType<typeof sampleMachine>, after: ReturnType<typeof sampleMachine>): number {
  return (after.busy - before.busy) / Math.max(1, after.total - before.total)
}
