module harbor-endpoints/url-oracle

go 1.24
