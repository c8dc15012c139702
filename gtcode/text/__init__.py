"""Text processing: decoding, language, sentences, speakers, keywords. Heavy libraries load lazily."""
