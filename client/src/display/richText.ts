/** tldraw rich text (a ProseMirror document) as plain text, for the display's header. */

/** The text of tldraw rich text (a ProseMirror document), paragraphs joined by spaces. */
export function richTextToPlain(value: unknown): string {
  const parts: string[] = []
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return
    const { text, content } = node as { text?: unknown; content?: unknown }
    if (typeof text === 'string') parts.push(text)
    if (Array.isArray(content)) {
      for (const child of content) visit(child)
      if ((node as { type?: unknown }).type === 'paragraph') parts.push(' ')
    }
  }
  visit(value)
  return parts.join('').replace(/\s+/g, ' ').trim()
}
