package parquetfmt

// SetMorselRows sets the morsel length (0: row groups are never cut) and
// returns a function that restores it.
func SetMorselRows(n int64) (restore func()) {
	old := morselRowsSetting.Swap(n)
	return func() { morselRowsSetting.Store(old) }
}

// SetPageIndex turns pruning by the page index on or off and returns a
// function that restores the setting.
func SetPageIndex(on bool) (restore func()) {
	old := pageIndexSetting.Swap(on)
	return func() { pageIndexSetting.Store(old) }
}

// SetMinPieceRows sets the fewest rows of a row-range split and returns a
// function that restores it.
func SetMinPieceRows(n int64) (restore func()) {
	old := minPieceRows.Swap(n)
	return func() { minPieceRows.Store(old) }
}

// SetDictionaryPruning turns pruning by dictionaries on or off and
// returns a function that restores the setting.
func SetDictionaryPruning(on bool) (restore func()) {
	old := dictionarySetting.Swap(on)
	return func() { dictionarySetting.Store(old) }
}

// SetPagesPerMorsel sets the fewest pages a morsel spans (0: morsels are
// cut whatever the pages) and returns a function that restores it.
func SetPagesPerMorsel(n int64) (restore func()) {
	old := pagesPerMorsel.Swap(n)
	return func() { pagesPerMorsel.Store(old) }
}

// SetLateMaterialization turns late materialization on or off and
// returns a function that restores the setting.
func SetLateMaterialization(on bool) (restore func()) {
	old := lateSetting.Swap(on)
	return func() { lateSetting.Store(old) }
}

// SetDirectDecimals turns reading INT32/INT64 decimals as their unscaled
// integers on or off and returns a function that restores the setting.
func SetDirectDecimals(on bool) (restore func()) {
	old := directDecimalSetting.Swap(on)
	return func() { directDecimalSetting.Store(old) }
}

// SetPageDecoder turns the own page decoder of the payload side on or
// off and returns a function that restores the setting.
func SetPageDecoder(on bool) (restore func()) {
	old := pageDecoderSetting.Swap(on)
	return func() { pageDecoderSetting.Store(old) }
}

// PageDecoderChunks is how many column chunks the own page decoder has
// opened so far.
func PageDecoderChunks() int64 { return pageDecoderChunks.Load() }

// PageDecoderStrings, PageDecoderBools and PageDecoderFixed are how many
// BYTE_ARRAY chunks it has opened as utf8 or binary values, BOOLEAN
// chunks and FIXED_LEN_BYTE_ARRAY decimal chunks.
func PageDecoderStrings() int64 { return pageDecoderKinds[pageBytes].Load() }

func PageDecoderBools() int64 { return pageDecoderKinds[pageBool].Load() }

func PageDecoderFixed() int64 { return pageDecoderKinds[pageFixed].Load() }
