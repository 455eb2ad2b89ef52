package bank

import "bytes"

// Parse reads a statement in either format: XML (camt.053) when the file
// begins with "<", CSV otherwise.
func Parse(data []byte) (*Statement, error) {
	head := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(head) == 0 {
		return nil, refuse("Le fichier est vide.")
	}
	if head[0] == '<' {
		return ParseCAMT(data)
	}
	return ParseCSV(data)
}
