/** CPU time and memory of a process, read from /proc (Linux), pidusage-style. */
import fs from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run). */
const CLOCK_TICKS = 100

export interface ProcSample {
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number
  rssBytes: number
  /** Peak RSS since the process started (VmHWM). */
  peakRssBytes: number
}

export function sampleProcess(pid: number): ProcSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024
  return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') }
}

export const MiB = 1024 * 1024
