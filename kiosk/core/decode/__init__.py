"""Finding QR codes in frames: the decoder, its layered retries and the two libraries behind it."""
