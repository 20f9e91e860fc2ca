/**
 * Whether tldraw refuses to run here. On HTTPS at a real host name, tldraw 5 without a
 * valid licence key marks its licence state `unlicensed-production` (or `expired`) and
 * blanks the editor after five seconds. On http or localhost it is "development" and
 * never blanks — then we show nothing either.
 *
 * The licence manager is internal to tldraw (not in its public types), so we reach it
 * through a narrow shape and treat its absence as "fine".
 */
import { type Editor, react, type Signal } from 'tldraw'

interface LicenseManagerLike {
  state: Signal<string>
}

/** The states in which tldraw hides the editor (its `shouldHideEditorAfterDelay`). */
const BLOCKING_STATES = ['unlicensed-production', 'expired']

/** Calls `onChange(true)` when the editor is (or becomes) unlicensed in production. */
export function watchLicense(editor: Editor, onChange: (blocked: boolean) => void): () => void {
  const manager = (editor as unknown as { licenseManager?: LicenseManagerLike }).licenseManager
  if (!manager?.state) return () => {}
  return react('stip licence', () => onChange(BLOCKING_STATES.includes(manager.state.get())))
}
