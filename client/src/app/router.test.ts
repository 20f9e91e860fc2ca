import { describe, expect, it } from 'vitest'
import { layerPath, outlinePath } from '../../../shared/board.ts'
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
})
