import { describe, expect, it } from 'vitest'
import { archivePdfPath } from '../../../shared/archivePdf.ts'
import { layerPath, outlinePath } from '../../../shared/board.ts'
import { historyPath, versionPath } from '../../../shared/versions.ts'
import { parseRoute } from './router.ts'

describe(parseRoute, () => {
  const boardId = 'abcdefgh12345678'

  it('tells a board, a layer of it and its outline apart', () => {
    expect(parseRoute(`/b/${boardId}`)).toEqual({ page: 'board', boardId, layerId: null, outline: false })
    expect(parseRoute(layerPath(boardId, 'layer:jeugd'))).toEqual({
      page: 'board',
      boardId,
      layerId: 'layer:jeugd',
      outline: false,
    })
    expect(parseRoute(outlinePath(boardId))).toEqual({ page: 'board', boardId, layerId: null, outline: true })
    expect(parseRoute(`${outlinePath(boardId)}/`)).toMatchObject({ outline: true })
  })

  it('sends anything else home', () => {
    expect(parseRoute(`/b/${boardId}/outlines`)).toEqual({ page: 'home' })
    expect(parseRoute('/b/short/outline')).toEqual({ page: 'home' })
    expect(parseRoute('/elsewhere')).toEqual({ page: 'home' })
  })

  it('finds the replay, a version and the administrator’s page', () => {
    expect(parseRoute(historyPath(boardId))).toEqual({ page: 'history', boardId })
    const versionId = 'a'.repeat(32)
    expect(parseRoute(versionPath(boardId, versionId))).toEqual({ page: 'version', boardId, versionId })
    expect(parseRoute(`/b/${boardId}/versions/not-an-id`)).toEqual({ page: 'home' })
    expect(parseRoute('/admin')).toEqual({ page: 'admin' })
  })

  it('finds the internal page an archive’s PDF is rendered on', () => {
    expect(parseRoute(archivePdfPath(boardId))).toEqual({ page: 'archive-pdf', boardId })
    expect(parseRoute('/b/short/archive-pdf')).toEqual({ page: 'home' })
  })
})
