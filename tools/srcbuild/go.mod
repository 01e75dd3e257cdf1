module github.com/drover-etl/drover/tools/srcbuild

go 1.25
